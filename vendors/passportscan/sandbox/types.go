package sandbox

import (
	"encoding/json"
)

// The sandbox's own wire types, in the field order of the documented sample
// response. They are deliberately not shared with the client, so a wrong tag
// on one side shows up as a failing contract test instead of hiding.

// Reservation is a booking as GET /v1/reservations returns it.
type Reservation struct {
	ID                   int64                 `json:"id"`
	BookingCode          *string               `json:"booking_code"`
	ArrivalDate          string                `json:"arrival_date"`
	DepartureDate        *string               `json:"departure_date"`
	Adults               *int                  `json:"adults"`
	Children             *int                  `json:"children"`
	TravelAgency         *string               `json:"travel_agency"`
	DailyRate            *json.Number          `json:"daily_rate"`
	GroupName            *string               `json:"group_name"`
	GroupID              *int64                `json:"group_id"`
	RoomNumber           *string               `json:"room_number"`
	RoomType             *string               `json:"room_type"`
	FirstName            *string               `json:"first_name"`
	MiddleName           *string               `json:"middle_name"`
	LastName             *string               `json:"last_name"`
	CustomerReservations []CustomerReservation `json:"customer_reservations"`
	Custom1              *string               `json:"custom_1"`
	Custom2              *string               `json:"custom_2"`
	PMSReservationID     *string               `json:"pms_reservation_id"`
}

// CustomerReservation puts one guest on a reservation.
type CustomerReservation struct {
	Customer    Customer `json:"customer"`
	IsLeader    bool     `json:"is_leader"`
	CheckinTime *string  `json:"checkin_time"`
}

// Customer is a guest with their last document, address and contact. The
// nested objects are always present, their fields null, as in the sample.
type Customer struct {
	LastDocument  Document     `json:"last_document"`
	LastAddress   Address      `json:"last_address"`
	LastContact   Contact      `json:"last_contact"`
	PrivacyFlags  PrivacyFlags `json:"privacy_flags"`
	ID            int64        `json:"id"`
	FirstName     *string      `json:"first_name"`
	MiddleName    *string      `json:"middle_name"`
	LastName      *string      `json:"last_name"`
	BirthDate     *string      `json:"birth_date"`
	BirthNation   *string      `json:"birth_nation"`
	BirthCity     *string      `json:"birth_city"`
	BirthProvince *string      `json:"birth_province"`
	Gender        *Gender      `json:"gender"`
	Nationality   *string      `json:"nationality"`
	WorkerID      *int64       `json:"worker_id,omitempty"` // the sample sends it for some guests only
	BadRecognized *bool        `json:"bad_recognized"`
	PMSGuestID    *string      `json:"pms_guest_id"`
}

// Document is the last scanned document; DocumentType is IDC, PAS, DRI or EXT.
type Document struct {
	DocumentType   *string `json:"document_type"`
	DocumentNumber *string `json:"document_number"`
	PersonalNumber *string `json:"personal_number"`
	IssueDate      *string `json:"issue_date"`
	ExpirationDate *string `json:"expiration_date"`
	IssuePlace     *string `json:"issue_place"`
	IssueProvince  *string `json:"issue_province"`
	IssueCountry   *string `json:"issue_country"`
}

// Address is the guest's last address.
type Address struct {
	Address  *string `json:"address"`
	City     *string `json:"city"`
	Province *string `json:"province"`
	Region   *string `json:"region"`
	Zip      *string `json:"zip"`
	Country  *string `json:"country"`
}

// Contact is the guest's last e-mail and phone.
type Contact struct {
	Email *string `json:"email"`
	Phone *string `json:"phone"`
}

// PrivacyFlags are the guest's consents, null until asked.
type PrivacyFlags struct {
	MarketResearch *bool `json:"market_research"`
	ThirdParties   *bool `json:"third_parties"`
	LoyaltyProgram *bool `json:"loyalty_program"`
	Promotions     *bool `json:"promotions"`
	Privacy        *bool `json:"privacy"`
	Email          *bool `json:"email"`
	Mail           *bool `json:"mail"`
	Phone          *bool `json:"phone"`
	SMS            *bool `json:"sms"`
}

// Gender is "M" or "F", as the sample's "gender": "F".
type Gender string

// page is the GET /v1/reservations answer.
type page struct {
	Total int           `json:"total"`
	Count int           `json:"count"`
	Items []Reservation `json:"items"`
	Links links         `json:"_links"`
}

type links struct {
	Self  string `json:"self"`
	First string `json:"first"`
	Last  string `json:"last"`
}

// errorBody is the sandbox's error answer. PassportScan documents none; this
// is the {"code","message"} shape common to PHP JWT layers, which the sample
// token's claims suggest PassportScan runs. The client reads any shape.
type errorBody struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}
