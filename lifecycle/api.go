// Package lifecycle is the contract of the guest lifecycle: task queues,
// workflow ids, the names of signals, updates and queries and their
// payloads, and the search attributes. The workflows implement it; the
// activities, the worker, the starter, the pollers and the webhook speak it.
//
// One Stay workflow runs per guest per reservation, from arrival to
// departure; one Account workflow per guest (keyed by phone) holds the
// loyalty balance and outlives the stays.
package lifecycle

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/guestflow/guestflow/rules"
)

// Task queues. Passquare calls run on their own queue so that its rate limit
// (one request per second, and the plan's hourly quota) is enforced by the
// Temporal server across every worker process.
const (
	TaskQueue          = "guestflow"
	PassquareTaskQueue = "guestflow-passquare"
)

// MewsTaskQueue is the task queue of one branch's Mews activities. Mews
// limits each access token, and a branch has one, so the queue's rate,
// enforced by the Temporal server for every worker together, keeps the
// branch within its limit however many workers run.
func MewsTaskQueue(branchID string) string { return "guestflow-mews-" + branchID }

// Workflow type names, as the Web UI and `temporal workflow list` show them.
const (
	StayWorkflowName    = "Stay"
	AccountWorkflowName = "Account"
)

// StayWorkflowID is stable for a guest of a reservation at a branch, so
// re-polling the same guest can only ever reach the one running stay.
// PassportScan ids are not personal data.
func StayWorkflowID(branchID string, reservationID, customerID int64) string {
	return fmt.Sprintf("stay/%s/%d/%d", branchID, reservationID, customerID)
}

// CardWorkflowName ties a card number or barcode track to its account, so a
// scan finds the account by the card's workflow id, without visibility.
const CardWorkflowName = "Card"

// CardWorkflowID is the workflow of a card number or barcode track.
func CardWorkflowID(number string) string { return "card/" + number }

// QueryCardAccount asks a Card workflow for its account's key.
const QueryCardAccount = "account"

// SignalRetireCard ends a Card workflow (an operator's erasure).
const SignalRetireCard = "retire"

// AccountWorkflowID is the loyalty account of the guest whose E.164 phone
// hashes to accountKey (rules.AccountKey), so the phone never shows.
func AccountWorkflowID(accountKey string) string {
	return "account/" + accountKey
}

// Signals, updates and queries of the Stay.
const (
	// UpdateGuestSnapshot carries a newer Guest from PassportScan (by
	// update-with-start). Its validator refuses a snapshot the stay already
	// has with ErrSnapshotUnchanged, and a refused update leaves nothing in
	// the history, so the reconciling poll's repeats cost the stay nothing.
	UpdateGuestSnapshot = "guest-snapshot-update"
	// SignalGuestSnapshot carried snapshots before UpdateGuestSnapshot; the
	// stay still reads it, for histories recorded then.
	SignalGuestSnapshot = "guest-snapshot"
	// SignalCardInstalled says the guest added the card to their wallet.
	SignalCardInstalled = "card-installed"
	// SignalScanRecorded says the account recorded a scan of the guest's card.
	SignalScanRecorded = "scan-recorded"

	UpdateApproveDocument = "approve-document"
	UpdateRetry           = "retry"
	UpdateSkipWallet      = "skip-wallet"
	// UpdateIssueWallet: staff issue the card to a phone whose kind the
	// rules keep out (rules.PhoneFixedLine, rules.PhoneNotMobile).
	UpdateIssueWallet = "issue-wallet"

	QueryStatus = "status"
)

// ErrSnapshotUnchanged is the error type with which a stay refuses a
// snapshot it already has.
const ErrSnapshotUnchanged = "SnapshotUnchanged"

// Signals, updates and queries of the Account.
const (
	// UpdateOpenAccount registers a stay with the account (update-with-start).
	UpdateOpenAccount = "open-account"
	// UpdateAttachCard keeps the card Passquare issued for the account.
	UpdateAttachCard = "attach-card"
	// UpdateInstallCard is Passquare's createCustomer hook: the guest
	// installed the card.
	UpdateInstallCard = "install-card"
	// UpdateAddBalance is Passquare's addBalance hook.
	UpdateAddBalance = "add-balance"
	// SignalRecordScan carries a Scan of one of the account's cards.
	SignalRecordScan = "record-scan"
	QueryBalance     = "balance"
)

// Stage is where a guest is in the lifecycle. Values are published in the
// GuestStage search attribute, so their spelling never changes.
type Stage string

const (
	StageArrivalFetched   Stage = "ArrivalFetched"
	StageAwaitingDocument Stage = "AwaitingDocument"
	StageDocumentVerified Stage = "DocumentVerified"
	StageMewsUpdated      Stage = "MewsUpdated"
	StageWalletIssued     Stage = "WalletIssued"
	StageNoWallet         Stage = "NoWallet"
	StageScansRecorded    Stage = "ScansRecorded"
	StageBonusCredited    Stage = "BonusCredited"
	StageNeedsAttention   Stage = "NeedsAttention"
	StageCompleted        Stage = "Completed"
)

// Stages lists every stage, in the lifecycle's order, NeedsAttention last
// but one: the order reports and dashboards show them in.
var Stages = []Stage{StageArrivalFetched, StageAwaitingDocument, StageDocumentVerified, StageMewsUpdated,
	StageWalletIssued, StageNoWallet, StageScansRecorded, StageBonusCredited, StageNeedsAttention, StageCompleted}

// Behind reports whether s comes before t on the way from arrival to
// completion. NeedsAttention is a detour, neither behind nor ahead of any
// stage; WalletIssued and NoWallet stand level.
func (s Stage) Behind(t Stage) bool {
	a, okA := s.rank()
	b, okB := t.rank()
	return okA && okB && a < b
}

func (s Stage) rank() (int, bool) {
	switch s {
	case StageArrivalFetched:
		return 0, true
	case StageAwaitingDocument:
		return 1, true
	case StageDocumentVerified:
		return 2, true
	case StageMewsUpdated:
		return 3, true
	case StageWalletIssued, StageNoWallet:
		return 4, true
	case StageScansRecorded:
		return 5, true
	case StageBonusCredited:
		return 6, true
	case StageCompleted:
		return 7, true
	}
	return 0, false
}

// Guest is one guest of one reservation as PassportScan last reported them.
// It holds personal data: it travels only inside encrypted payloads.
type Guest struct {
	BranchID         string          `json:"branchId"`
	ReservationID    int64           `json:"reservationId"`
	CustomerID       int64           `json:"customerId"`
	PMSReservationID string          `json:"pmsReservationId,omitempty"`
	PMSGuestID       string          `json:"pmsGuestId,omitempty"`
	Arrival          rules.Date      `json:"arrival"`
	Departure        rules.Date      `json:"departure"`
	Profile          rules.Profile   `json:"profile"`
	Document         *rules.Document `json:"document,omitempty"`
	// LoyaltyConsent is privacy_flags.loyalty_program; nil when unanswered.
	LoyaltyConsent *bool `json:"loyaltyConsent,omitempty"`
}

// BranchRules are the branch's rules as configured when the stay started.
// They travel in the input so that a configuration change never alters a
// running workflow's replay.
type BranchRules struct {
	Country           string               `json:"country"`
	TimeZone          string               `json:"timeZone"`
	AcceptedDocuments []rules.DocumentType `json:"acceptedDocuments"`
	// DocumentTypes is the group's mapping of PassportScan codes to Mews
	// types; nil (stays started before it was configurable) means
	// rules.DefaultDocumentTypes.
	DocumentTypes         rules.DocumentTypes `json:"documentTypes,omitempty"`
	AdultAge              int                 `json:"adultAge"`
	ConsentWhenUnanswered bool                `json:"consentWhenUnanswered"`
	BonusPercent          decimal.Decimal     `json:"bonusPercent"`
	WelcomeBonus          decimal.Decimal     `json:"welcomeBonus"`
	RealUseStatuses       []int               `json:"realUseStatuses"`
	Checkout              time.Duration       `json:"checkout"`
	DepartureGrace        time.Duration       `json:"departureGrace"`
	PushMessage           string              `json:"pushMessage,omitempty"`
}

// StayInput starts a Stay.
type StayInput struct {
	Guest Guest       `json:"guest"`
	Rules BranchRules `json:"rules"`
}

// StaffAction is who asked for a manual action and why; it is kept in the
// stay's status for the audit trail.
type StaffAction struct {
	By     string `json:"by"`
	Reason string `json:"reason"`
}

// StayStatus answers QueryStatus.
type StayStatus struct {
	WorkflowID   string          `json:"workflowId"`
	BranchID     string          `json:"branchId"`
	Stage        Stage           `json:"stage"`
	Reason       rules.Reason    `json:"reason,omitempty"`
	LastError    string          `json:"lastError,omitempty"`
	WaitingFor   string          `json:"waitingFor,omitempty"`
	StageTimes   []StageTime     `json:"stageTimes"`
	MewsCustomer string          `json:"mewsCustomerId,omitempty"`
	Card         *Card           `json:"card,omitempty"`
	NoWallet     rules.Reason    `json:"noWallet,omitempty"`
	Approvals    []StaffAction   `json:"approvals,omitempty"`
	Scans        []ScanRecorded  `json:"scans,omitempty"`
	Credited     decimal.Decimal `json:"credited"`
	EndsAt       time.Time       `json:"endsAt"`
}

// Details is what the Web UI shows on the stay's page (the workflow's
// current details, decoded through the codec like every payload): the
// stage, why the guest is held there, and what would move them on, as
// paragraphs (the Web UI reads it as markdown).
func (st StayStatus) Details() string {
	d := "Stage: " + string(st.Stage)
	if st.Reason != "" {
		d += " (" + string(st.Reason) + ")"
	}
	if st.LastError != "" {
		d += "\n\nWhy: " + st.LastError
	}
	if st.WaitingFor != "" {
		d += "\n\nWaiting for: " + st.WaitingFor
	}
	return d
}

// StageTime is when a stage was reached.
type StageTime struct {
	Stage Stage     `json:"stage"`
	At    time.Time `json:"at"`
}

// Card is the guest's wallet card as Passquare issued it.
type Card struct {
	AccountKey string `json:"accountKey"`
	Number     string `json:"number,omitempty"`
	Track      string `json:"track,omitempty"`
	AppleURL   string `json:"appleUrl,omitempty"`
	GoogleURL  string `json:"googleUrl,omitempty"`
	FormURL    string `json:"formUrl,omitempty"`
	Installed  bool   `json:"installed"`
	// Pending: Passquare holds the customer but created no card on this
	// call (its answer had no card_number), so Number is empty. The card
	// comes when the guest installs it from the form: Passquare's
	// createCustomer hook, which reaches the stay as SignalCardInstalled.
	// A pending card is not attached to the account.
	Pending bool `json:"pending,omitempty"`
}

// Scan is one scan of a card at an outlet, from Passcreator.
type Scan struct {
	AppScanID string `json:"appScanId"`
	BranchID  string `json:"branchId"`
	Barcode   string `json:"barcode"`
	Status    int    `json:"status"`
	// Value is the transaction value, when the outlet entered one.
	Value *decimal.Decimal `json:"value,omitempty"`
	At    time.Time        `json:"at"`
	// The scanning branch's bonus rules, as configured when the scan was read.
	BonusPercent    decimal.Decimal `json:"bonusPercent"`
	RealUseStatuses []int           `json:"realUseStatuses"`
}

// ScanRecorded is what the account tells the stay about a scan.
type ScanRecorded struct {
	AppScanID string          `json:"appScanId"`
	Status    int             `json:"status"`
	Credit    decimal.Decimal `json:"credit"`
	At        time.Time       `json:"at"`
}

// AccountHolder is who the account belongs to, as Passquare needs it. It
// holds personal data and travels only inside encrypted payloads.
type AccountHolder struct {
	Phone      string      `json:"phone"` // E.164
	FirstName  string      `json:"firstName,omitempty"`
	LastName   string      `json:"lastName,omitempty"`
	MiddleName string      `json:"middleName,omitempty"`
	Email      string      `json:"email,omitempty"`
	BirthDate  *rules.Date `json:"birthDate,omitempty"`
}

// AccountInput starts an Account, or continues one as new.
type AccountInput struct {
	Key    string        `json:"key"`
	Holder AccountHolder `json:"holder"`
	// Carried is the state of the previous run after continue-as-new.
	Carried *AccountState `json:"carried,omitempty"`
	// PendingPush is the balance push the previous run owed the card: the
	// next run sends it with the push text of the credits it covers.
	PendingPush *PendingPush `json:"pendingPush,omitempty"`
}

// PendingPush is a balance push that is due and not yet acknowledged.
type PendingPush struct {
	Due     time.Time `json:"due"`
	Message string    `json:"message,omitempty"`
}

// AccountState is what an Account carries across continue-as-new.
type AccountState struct {
	Cards  []Card         `json:"cards"`
	Ledger rules.Ledger   `json:"ledger"`
	Scans  []string       `json:"scans"` // recent appScanIds, oldest first
	Stays  []AccountStay  `json:"stays"` // recent stays, latest last
	Pushed *PushedBalance `json:"pushed,omitempty"`
}

// PushedBalance is the balance Passquare last acknowledged.
type PushedBalance struct {
	Balance decimal.Decimal `json:"balance"`
	At      time.Time       `json:"at"`
}

// AccountStay is a stay that opened the account, with the rules of its
// branch that the account applies on its behalf.
type AccountStay struct {
	WorkflowID   string          `json:"workflowId"`
	BranchID     string          `json:"branchId"`
	WelcomeBonus decimal.Decimal `json:"welcomeBonus"`
	BonusPercent decimal.Decimal `json:"bonusPercent"`
	PushMessage  string          `json:"pushMessage,omitempty"`
}

// OpenAccount is UpdateOpenAccount's argument.
type OpenAccount struct {
	Holder AccountHolder `json:"holder"`
	Stay   AccountStay   `json:"stay"`
}

// AccountView answers UpdateOpenAccount and UpdateAttachCard.
type AccountView struct {
	Key     string          `json:"key"`
	Balance decimal.Decimal `json:"balance"`
	Cards   []Card          `json:"cards"`
}

// InstallCard is UpdateInstallCard's argument, from Passquare's
// createCustomer hook.
type InstallCard struct {
	Holder      AccountHolder `json:"holder"`
	CardNumbers []string      `json:"cardNumbers"`
	CardTracks  []CardTrack   `json:"cardTracks"`
	// What Passquare says the card holds, as the hook sent it; nil when the
	// hook left the field out. An account opened by this hook can start
	// from it.
	Balance  *decimal.Decimal `json:"balance,omitempty"`  // amount of bonuses
	Bonus    *decimal.Decimal `json:"bonus,omitempty"`    // bonus percentage
	Discount *decimal.Decimal `json:"discount,omitempty"` // discount percentage
}

// CardTrack pairs a card number with its barcode track.
type CardTrack struct {
	Card  string `json:"card"`
	Track string `json:"track"`
}

// AddBalance is UpdateAddBalance's argument, from Passquare's addBalance
// hook. The transaction id makes it idempotent.
type AddBalance struct {
	TransactionID string          `json:"transactionId"`
	Sum           decimal.Decimal `json:"sum"`
	Lifetime      time.Duration   `json:"lifetime,omitempty"` // zero: never burns
}

// ErrConflictingTransaction is the type of the application error with which
// the account refuses an AddBalance whose transaction id it already
// credited with another sum: nothing changes, and the caller must not
// believe the second sum was granted.
const ErrConflictingTransaction = "ConflictingTransaction"

// Balance answers QueryBalance, and Passquare's readBalance hook.
type Balance struct {
	Balance decimal.Decimal `json:"balance"`
	// Bonus is the bonus percentage of the guest's latest stay's branch.
	Bonus    decimal.Decimal `json:"bonus"`
	Discount decimal.Decimal `json:"discount"`
	Cards    []string        `json:"cards"`
}

// Reasons a stay is stuck or goes without a card, beyond the domain rules'
// own (document and wallet eligibility). Published in StuckReason.
const (
	ReasonMewsRefused       rules.Reason = "MewsRefused"
	ReasonMewsUnavailable   rules.Reason = "MewsUnavailable"
	ReasonWalletRefused     rules.Reason = "WalletRefused"
	ReasonWalletUnavailable rules.Reason = "WalletUnavailable"
	ReasonWalletSkipped     rules.Reason = "WalletSkippedByStaff"
)

// StaySummary is the Stay's result: what happened, for the hotel's records.
type StaySummary struct {
	FinalStage   Stage           `json:"finalStage"`
	Reason       rules.Reason    `json:"reason,omitempty"`
	MewsCustomer string          `json:"mewsCustomerId,omitempty"`
	CardNumber   string          `json:"cardNumber,omitempty"`
	NoWallet     rules.Reason    `json:"noWallet,omitempty"`
	Scans        int             `json:"scans"`
	Credited     decimal.Decimal `json:"credited"`
	StageTimes   []StageTime     `json:"stageTimes"`
}

// Workflow type names of the feeders.
const (
	PollArrivalsWorkflowName     = "PollArrivals"
	BackfillArrivalsWorkflowName = "BackfillArrivals"
	SyncScansWorkflowName        = "SyncScans"
)

// PollArrivals is the input of a branch's arrivals poll, run by its
// Schedules: the frequent one asks only for changes (Full false), the
// reconciling one for everything (Full true).
type PollArrivals struct {
	BranchID string `json:"branchId"`
	TimeZone string `json:"timeZone"`
	Full     bool   `json:"full"`
	// LateDocumentDays: the full poll also reads this many days before
	// today (at least 1), for documents scanned after the arrival day.
	LateDocumentDays int `json:"lateDocumentDays,omitempty"`
}

// BackfillArrivals re-reads a branch's arrivals for a range of days, for a
// new branch or after an outage.
type BackfillArrivals struct {
	BranchID string     `json:"branchId"`
	From     rules.Date `json:"from"`
	To       rules.Date `json:"to"`
}

// SyncScans is the input of an app configuration's scan sync Schedule.
type SyncScans struct {
	AppConfigurationID string `json:"appConfigurationId"`
	// Lookback re-reads this much before the watermark, for scans that
	// devices upload late; what the previous run delivered is not
	// delivered again (ScanWatermark.Seen).
	Lookback time.Duration `json:"lookback"`
}

// ScanWatermark is a scan sync's result and the next run's starting point
// (the Schedule hands it over as the last completion result).
type ScanWatermark struct {
	At        time.Time `json:"at"`
	Scans     int       `json:"scans"`
	Delivered int       `json:"delivered"`
	Unknown   int       `json:"unknown"`
	// Seen are the scans handled so far that the next run re-reads.
	Seen []SeenScan `json:"seen,omitempty"`
}

// SeenScan is a scan a sync has handled, known by its AppScanID only: the
// list returns a scan modified since createdSince however long ago it was
// created, so At (its creation) is for the record and decides nothing. A
// scan of a card no account held (Unknown) is tried again while it is
// re-read, since the card may have been installed moments before and not be
// searchable yet; it is counted as unknown only the first time.
type SeenScan struct {
	AppScanID string    `json:"appScanId"`
	At        time.Time `json:"at"`
	Unknown   bool      `json:"unknown,omitempty"`
}
