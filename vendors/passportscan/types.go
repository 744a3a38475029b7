package passportscan

// Reservation is one booking at the branch with the guests PassportScan
// knows on it. From a change-feed query (AllCustomers false) it carries only
// the guests whose data changed. daily_rate (null in the sample, its type
// not documented) is not read: guestflow has no use for it.
type Reservation struct {
	ID                   ID                    `json:"id"`
	BookingCode          *ID                   `json:"booking_code"`
	ArrivalDate          Date                  `json:"arrival_date"`
	DepartureDate        *Date                 `json:"departure_date"`
	Adults               *Count                `json:"adults"`
	Children             *Count                `json:"children"`
	TravelAgency         *string               `json:"travel_agency"`
	GroupName            *string               `json:"group_name"`
	GroupID              *ID                   `json:"group_id"`
	RoomNumber           *Text                 `json:"room_number"`
	RoomType             *string               `json:"room_type"`
	FirstName            *string               `json:"first_name"`
	MiddleName           *string               `json:"middle_name"`
	LastName             *string               `json:"last_name"`
	CustomerReservations []CustomerReservation `json:"customer_reservations"`
	Custom1              *string               `json:"custom_1"`
	Custom2              *string               `json:"custom_2"`
	PMSReservationID     *ID                   `json:"pms_reservation_id"`
}

// CustomerReservation is one guest on a reservation.
type CustomerReservation struct {
	Customer    Customer   `json:"customer"`
	IsLeader    Flag       `json:"is_leader"`
	CheckinTime *Timestamp `json:"checkin_time"`
}

// Customer is a guest as PassportScan last saw them: the latest document,
// address and contact, and their privacy answers.
type Customer struct {
	LastDocument *Document `json:"last_document"`
	LastAddress  *Address  `json:"last_address"`
	LastContact  *Contact  `json:"last_contact"`
	// A value, not a pointer: null flags and a null object mean the same,
	// no answer given.
	PrivacyFlags PrivacyFlags `json:"privacy_flags"`

	ID            ID      `json:"id"`
	FirstName     *string `json:"first_name"`
	MiddleName    *string `json:"middle_name"`
	LastName      *string `json:"last_name"`
	BirthDate     *Date   `json:"birth_date"`
	BirthNation   *string `json:"birth_nation"` // ISO 3166 alpha-3
	BirthCity     *string `json:"birth_city"`
	BirthProvince *string `json:"birth_province"`
	Gender        *Gender `json:"gender"`
	Nationality   *string `json:"nationality"` // ISO 3166 alpha-3
	WorkerID      *ID     `json:"worker_id"`   // the staff member who scanned, when sent
	BadRecognized Flag    `json:"bad_recognized"`
	PMSGuestID    *ID     `json:"pms_guest_id"`
}

// Sex returns "male", "female" or "" whichever form the gender came in.
func (c Customer) Sex() string {
	if c.Gender == nil {
		return ""
	}
	return c.Gender.Sex()
}

// Document is the guest's last scanned identity document.
type Document struct {
	DocumentType   *DocumentType `json:"document_type"`
	DocumentNumber *Text         `json:"document_number"`
	PersonalNumber *Text         `json:"personal_number"`
	IssueDate      *Date         `json:"issue_date"`
	ExpirationDate *Date         `json:"expiration_date"`
	IssuePlace     *string       `json:"issue_place"`
	IssueProvince  *string       `json:"issue_province"`
	IssueCountry   *string       `json:"issue_country"` // ISO 3166 alpha-3
}

// Type returns the document type, "" when none was sent.
func (d Document) Type() DocumentType {
	if d.DocumentType == nil {
		return ""
	}
	return *d.DocumentType
}

// Address is the guest's last known address.
type Address struct {
	Address  *string `json:"address"`
	City     *string `json:"city"`
	Province *string `json:"province"`
	Region   *string `json:"region"`
	Zip      *Text   `json:"zip"`
	Country  *string `json:"country"` // ISO 3166 alpha-3
}

// Contact is the guest's last known e-mail and phone.
type Contact struct {
	Email *string `json:"email"`
	Phone *Text   `json:"phone"`
}

// PrivacyFlags are the guest's consents; an unknown flag is no consent.
type PrivacyFlags struct {
	MarketResearch Flag `json:"market_research"`
	ThirdParties   Flag `json:"third_parties"`
	LoyaltyProgram Flag `json:"loyalty_program"`
	Promotions     Flag `json:"promotions"`
	Privacy        Flag `json:"privacy"`
	Email          Flag `json:"email"`
	Mail           Flag `json:"mail"`
	Phone          Flag `json:"phone"`
	SMS            Flag `json:"sms"`
}
