// Package ktpocr holds the domain of the service: what a read KTP is
// (Card, Quality, Extra), the result body every surface answers with, and the
// error codes of the API contract. It imports the standard library only; every
// technology (OCR engine, database, queue, HTTP) lives in a subpackage that
// speaks these types.
package ktpocr

import (
	"context"
	"log/slog"
)

// Card holds the 16 printed fields of an e-KTP, upper-case as printed, with
// closed vocabularies normalised to their official spelling. A field that
// could not be read is "", never invented.
type Card struct {
	NIK                   string `json:"nik"`
	FullName              string `json:"full_name"`
	PlaceOfBirth          string `json:"place_of_birth"`
	DateOfBirth           string `json:"date_of_birth"` // DD-MM-YYYY
	Gender                string `json:"gender"`        // LAKI-LAKI | PEREMPUAN
	BloodType             string `json:"blood_type"`    // A, B, AB, O (+/- kept) or "-"
	Address               string `json:"address"`
	RTRW                  string `json:"rt_rw"` // NNN/NNN
	AdministrativeVillage string `json:"administrative_village"`
	District              string `json:"district"`
	City                  string `json:"city"`  // second header line as printed
	State                 string `json:"state"` // province without "PROVINSI"
	Religion              string `json:"religion"`
	MaritalStatus         string `json:"marital_status"`
	Occupation            string `json:"occupation"`
	Nationality           string `json:"nationality"`
}

// FieldNames lists the JSON names of Card's fields in printed order; benches
// and confidence maps use it as the canonical field list.
var FieldNames = []string{
	"nik", "full_name", "place_of_birth", "date_of_birth", "gender", "blood_type",
	"address", "rt_rw", "administrative_village", "district", "city", "state",
	"religion", "marital_status", "occupation", "nationality",
}

// Field returns the value of the field with the given JSON name.
func (c *Card) Field(name string) string {
	if p := c.fieldPtr(name); p != nil {
		return *p
	}
	return ""
}

// SetField sets the field with the given JSON name; unknown names are ignored.
func (c *Card) SetField(name, v string) {
	if p := c.fieldPtr(name); p != nil {
		*p = v
	}
}

func (c *Card) fieldPtr(name string) *string {
	switch name {
	case "nik":
		return &c.NIK
	case "full_name":
		return &c.FullName
	case "place_of_birth":
		return &c.PlaceOfBirth
	case "date_of_birth":
		return &c.DateOfBirth
	case "gender":
		return &c.Gender
	case "blood_type":
		return &c.BloodType
	case "address":
		return &c.Address
	case "rt_rw":
		return &c.RTRW
	case "administrative_village":
		return &c.AdministrativeVillage
	case "district":
		return &c.District
	case "city":
		return &c.City
	case "state":
		return &c.State
	case "religion":
		return &c.Religion
	case "marital_status":
		return &c.MaritalStatus
	case "occupation":
		return &c.Occupation
	case "nationality":
		return &c.Nationality
	}
	return nil
}

// LogValue keeps personal data out of logs: a Card logs only which fields
// were read, never their values.
func (c Card) LogValue() slog.Value {
	n := 0
	for _, f := range FieldNames {
		if c.Field(f) != "" {
			n++
		}
	}
	return slog.GroupValue(slog.Int("fields_read", n))
}

// Quality holds the image-quality flags of the API.
type Quality struct {
	Blur       bool `json:"blur"`
	Dark       bool `json:"dark"`
	Flashlight bool `json:"flashlight"`
	Grayscale  bool `json:"grayscale"`
}

// Any reports whether any flag is set.
func (q Quality) Any() bool { return q.Blur || q.Dark || q.Flashlight || q.Grayscale }

// Point is a position in the input image, in pixels.
type Point struct {
	X float64 `json:"x"`
	Y float64 `json:"y"`
}

// NIKCheck reports what the NIK says against itself and against the printed
// fields. Checks that could not be made (a field unread) are false and named
// in Unchecked. The NIK is never silently changed: Repaired says when a
// repair was applied, and it is applied only when the repaired value passes
// every check.
type NIKCheck struct {
	Valid            bool     `json:"valid"`              // every check below passed
	Format           bool     `json:"format"`             // exactly 16 digits
	RegionExists     bool     `json:"region_exists"`      // PPKKCC is a Kemendagri district code
	ProvinceMatches  bool     `json:"province_matches"`   // PP agrees with the printed province
	CityMatches      bool     `json:"city_matches"`       // PPKK agrees with the printed city/regency
	DistrictMatches  bool     `json:"district_matches"`   // PPKKCC agrees with the printed district
	BirthDateValid   bool     `json:"birth_date_valid"`   // DDMMYY is a real date (day+40 for women)
	BirthDateMatches bool     `json:"birth_date_matches"` // agrees with the printed date of birth
	GenderMatches    bool     `json:"gender_matches"`     // day offset agrees with the printed gender
	Repaired         bool     `json:"repaired"`
	Unchecked        []string `json:"unchecked,omitempty"`
}

// RegionCodes holds the official Kemendagri codes of the printed region
// names ("" when a name matched no code).
type RegionCodes struct {
	Province string `json:"province"`
	City     string `json:"city"`
	District string `json:"district"`
	Village  string `json:"village"`
}

// Extra is what ktpocr returns beyond the Verihubs body; a Verihubs client
// ignores it.
type Extra struct {
	ValidUntil  string             `json:"valid_until"`
	Confidence  map[string]float64 `json:"confidence"`
	Corners     []Point            `json:"corners,omitempty"` // TL, TR, BR, BL in the input image
	NIKCheck    NIKCheck           `json:"nik_check"`
	RegionCodes RegionCodes        `json:"region_codes"`
	TimingsMS   map[string]float64 `json:"timings_ms,omitempty"`
}

// Extraction is what reading one image gives.
type Extraction struct {
	Quality Quality
	Card    Card
	Extra   Extra
}

// ExtractOptions are the per-request switches of an extraction.
type ExtractOptions struct {
	// ValidateQuality fails the extraction with FAIL_ON_1 when any quality
	// flag is set.
	ValidateQuality bool
}

// Extractor reads a KTP from an encoded image. It returns *Error values with
// codes INVALID_PAYLOAD_IMAGE_SIZE, INVALID_PAYLOAD_IMAGE_FORMAT,
// KTP_NOT_DETECTED, FAIL_ON_1 (with a non-nil Extraction carrying Quality)
// or INTERNAL_SERVER_ERROR.
type Extractor interface {
	Extract(ctx context.Context, image []byte, opts ExtractOptions) (*Extraction, error)
}
