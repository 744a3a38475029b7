package passcreator

import "strconv"

// ScanStatus is what Passcreator decided about one scan. The list and create
// documents name 0 to 3; the check-in modes add 4 to 7. Whether a scan
// earns a bonus is rules.IsRealUse's to say: guestflow's cards are not
// Passcreator passes, so their scans are 3, pass not found.
type ScanStatus int

const (
	ScanVoided           ScanStatus = 0 // pass was valid and is now voided
	ScanAlreadyVoided    ScanStatus = 1 // pass was voided before: refused
	ScanAttendanceSaved  ScanStatus = 2 // pass was valid, attendance noted
	ScanPassNotFound     ScanStatus = 3 // barcode unknown to Passcreator
	ScanCheckedIn        ScanStatus = 4
	ScanAlreadyCheckedIn ScanStatus = 5
	ScanCheckedOut       ScanStatus = 6
	ScanNotCheckedIn     ScanStatus = 7 // check-out refused: the pass never checked in
)

var scanStatusNames = [...]string{
	"voided after scan", "already voided", "attendance saved", "pass not found",
	"checked in", "already checked in", "checked out", "not checked in so cannot check out",
}

func (s ScanStatus) String() string {
	if s >= 0 && int(s) < len(scanStatusNames) {
		return scanStatusNames[s]
	}
	return "scan status " + strconv.Itoa(int(s))
}

func (s *ScanStatus) UnmarshalJSON(b []byte) error {
	v, err := decodeInt(b)
	*s = ScanStatus(v)
	return err
}

// ScanMode is what an App Configuration does with a pass once scanned.
type ScanMode int

const (
	ScanModeVoid       ScanMode = 0 // the pass is voided after the scan
	ScanModeAttendance ScanMode = 1 // only attendance is noted
)

func (m *ScanMode) UnmarshalJSON(b []byte) error {
	v, err := decodeInt(b)
	*m = ScanMode(v)
	return err
}

// ConfigurationType says whether an App Configuration drives the app or a URL.
type ConfigurationType int

const (
	ConfigurationApp ConfigurationType = 0
	ConfigurationURL ConfigurationType = 1
)

func (t *ConfigurationType) UnmarshalJSON(b []byte) error {
	v, err := decodeInt(b)
	*t = ConfigurationType(v)
	return err
}
