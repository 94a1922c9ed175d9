// Package sandbox answers for sandbox applications: it never runs OCR, and
// instead returns one fixed, made-up but self-consistent e-KTP chosen and
// shaped by the sandbox codes of the API contract (spec/api.md), so that a
// client can exercise every path of its integration. It imports the domain
// only; httpapi picks it per application.
package sandbox

import (
	"strings"

	"github.com/ktpocr/ktpocr"
)

// Sandbox holds the made-up card it answers with. The zero value is not
// usable; call New. A Sandbox is immutable and safe for concurrent use.
type Sandbox struct {
	card  ktpocr.Card
	extra ktpocr.Extra
}

// New returns a Sandbox answering with its built-in card: a DKI Jakarta
// e-KTP whose NIK agrees with its region (31.74.01, Tebet, Jakarta Selatan),
// birth date (17-08-1988) and gender (LAKI-LAKI: day not offset by 40).
// The person does not exist.
func New() *Sandbox {
	return &Sandbox{
		card: ktpocr.Card{
			NIK:                   "3174011708880007",
			FullName:              "ANDRI WIJAYA KUSUMA",
			PlaceOfBirth:          "JAKARTA",
			DateOfBirth:           "17-08-1988",
			Gender:                "LAKI-LAKI",
			BloodType:             "O",
			Address:               "JL. TEBET BARAT DALAM X NO. 17",
			RTRW:                  "004/007",
			AdministrativeVillage: "TEBET BARAT",
			District:              "TEBET",
			City:                  "JAKARTA SELATAN",
			State:                 "DKI JAKARTA",
			Religion:              "ISLAM",
			MaritalStatus:         "KAWIN",
			Occupation:            "KARYAWAN SWASTA",
			Nationality:           "WNI",
		},
		extra: ktpocr.Extra{
			ValidUntil: "SEUMUR HIDUP",
			Confidence: map[string]float64{
				"nik": 0.99, "full_name": 0.98, "place_of_birth": 0.97, "date_of_birth": 0.99,
				"gender": 0.99, "blood_type": 0.95, "address": 0.93, "rt_rw": 0.97,
				"administrative_village": 0.96, "district": 0.97, "city": 0.98, "state": 0.99,
				"religion": 0.99, "marital_status": 0.98, "occupation": 0.97, "nationality": 0.99,
			},
			// A card filling most of a 1280x960 photo, slightly rotated.
			Corners: []ktpocr.Point{{X: 112, Y: 148}, {X: 1171, Y: 131}, {X: 1186, Y: 802}, {X: 121, Y: 818}},
			NIKCheck: ktpocr.NIKCheck{
				Valid: true, Format: true, RegionExists: true, ProvinceMatches: true,
				CityMatches: true, DistrictMatches: true, BirthDateValid: true,
				BirthDateMatches: true, GenderMatches: true,
			},
			RegionCodes: ktpocr.RegionCodes{
				Province: "31", City: "31.74", District: "31.74.01", Village: "31.74.01.1001",
			},
		},
	}
}

// qualityCodes maps the quality suffix of an image code (KTP_<X>) to its
// flags. Only these combinations exist in the contract.
var qualityCodes = map[string]ktpocr.Quality{
	"":   {},
	"B":  {Blur: true},
	"D":  {Dark: true},
	"BD": {Blur: true, Dark: true},
	"F":  {Flashlight: true},
	"G":  {Grayscale: true},
	"FG": {Flashlight: true, Grayscale: true},
	"DG": {Dark: true, Grayscale: true},
	"BF": {Blur: true, Flashlight: true},
	"BG": {Blur: true, Grayscale: true},
}

// Image codes that are not a card.
const (
	CodeNoKTP         = "NO_KTP_DETECTED"
	CodeImageTooLarge = "IMAGE_SIZE_EXCEED_LIMIT"
)

// Reference-id codes of an async submission and of GET result.
const (
	RefValid    = "REFERENCE_ID"
	RefExist    = "REFERENCE_ID_EXIST"
	RefTooLong  = "REFERENCE_ID_TOO_LONG"
	RefTooShort = "REFERENCE_ID_TOO_SHORT"
	RefNotFound = "REFERENCE_ID_NOT_FOUND"
	RefNoKTP    = "REFERENCE_ID_KTP_NOT_DETECTED"
	refKTP      = "REFERENCE_ID_KTP"
)

// parseImage returns the flags of a card image code ("KTP", "KTP_BD", ...).
func parseImage(code string) (ktpocr.Quality, bool) {
	if code == "KTP" {
		return ktpocr.Quality{}, true
	}
	x, ok := strings.CutPrefix(code, "KTP_")
	if !ok || x == "" {
		return ktpocr.Quality{}, false
	}
	q, ok := qualityCodes[x]
	return q, ok
}

// Extract answers a sync request whose image is a sandbox code, as the
// Extractor of a live application would: KTP_<X> reads the card with the
// flags of X (FAIL_ON_1 carrying them when opts.ValidateQuality and any is
// set), NO_KTP_DETECTED is KTP_NOT_DETECTED, IMAGE_SIZE_EXCEED_LIMIT is
// INVALID_PAYLOAD_IMAGE_SIZE, and any other string INVALID_SANDBOX_CODE.
func (s *Sandbox) Extract(image string, opts ktpocr.ExtractOptions) (*ktpocr.Extraction, error) {
	switch image {
	case CodeNoKTP:
		return nil, errNoKTP()
	case CodeImageTooLarge:
		return nil, ktpocr.Errorf(ktpocr.CodeImageSize, "image is larger than 5 MB")
	}
	q, ok := parseImage(image)
	if !ok {
		return nil, invalidCode("image", image)
	}
	x := s.extraction(q)
	if opts.ValidateQuality && q.Any() {
		return x, errQuality(q)
	}
	return x, nil
}

// Submit answers an async submission: image is an image code, referenceID
// a reference-id code ("" when the request had none). It returns the
// reference_id the client then polls, which is the GET result code with the
// same outcome (KTP_BD with validation gives REFERENCE_ID_KTP_BD_V,
// NO_KTP_DETECTED gives REFERENCE_ID_KTP_NOT_DETECTED), and the result body
// that a callback delivers. Errors: INVALID_SANDBOX_CODE,
// INVALID_PAYLOAD_REFERENCE_ID_EXISTS, INVALID_PAYLOAD_REFERENCE_ID,
// INVALID_PAYLOAD_IMAGE_SIZE.
//
// The image code is checked before the reference id, as a live request
// validates its image before it stores anything.
func (s *Sandbox) Submit(image, referenceID string, validateQuality bool) (string, ktpocr.ResultBody, error) {
	var ref string
	switch image {
	case CodeImageTooLarge:
		return "", ktpocr.ResultBody{}, ktpocr.Errorf(ktpocr.CodeImageSize, "image is larger than 5 MB")
	case CodeNoKTP:
		ref = RefNoKTP
	default:
		q, ok := parseImage(image)
		if !ok {
			return "", ktpocr.ResultBody{}, invalidCode("image", image)
		}
		ref = refKTP
		if suffix := qualitySuffix(q); suffix != "" {
			ref += "_" + suffix
			if validateQuality {
				ref += "_V"
			}
		}
	}
	switch referenceID {
	case "", RefValid:
	case RefExist:
		return "", ktpocr.ResultBody{}, &ktpocr.Error{Code: ktpocr.CodeReferenceIDExists,
			Message: "reference_id is already used", Fields: []string{"reference_id"}}
	case RefTooLong:
		return "", ktpocr.ResultBody{}, errTooLong()
	case RefTooShort:
		return "", ktpocr.ResultBody{}, errTooShort()
	default:
		return "", ktpocr.ResultBody{}, invalidCode("reference_id", referenceID)
	}
	body, err := s.Result(ref)
	if err != nil {
		// Every ref built above is a result code; reaching here is a bug.
		return "", ktpocr.ResultBody{}, ktpocr.Wrap(err, ktpocr.CodeInternal, "sandbox code table")
	}
	return ref, body, nil
}

// Result answers GET result for a sandbox reference id: the codes of the
// result endpoint's table. REFERENCE_ID_KTP[_<X>] succeed with the flags of
// X, REFERENCE_ID_KTP_<X>_V fail with FAIL_ON_1, REFERENCE_ID_KTP_NOT_DETECTED
// with KTP_NOT_DETECTED (those three are result bodies, HTTP 200);
// REFERENCE_ID_NOT_FOUND is INVALID_PAYLOAD_REFERENCE_ID_NOT_FOUND,
// REFERENCE_ID_TOO_LONG/_TOO_SHORT INVALID_PAYLOAD_REFERENCE_ID, and any
// other string INVALID_SANDBOX_CODE.
func (s *Sandbox) Result(referenceID string) (ktpocr.ResultBody, error) {
	switch referenceID {
	case RefNotFound:
		return ktpocr.ResultBody{}, &ktpocr.Error{Code: ktpocr.CodeReferenceIDNotFound,
			Message: "reference_id not found", Fields: []string{"reference_id"}}
	case RefTooLong:
		return ktpocr.ResultBody{}, errTooLong()
	case RefTooShort:
		return ktpocr.ResultBody{}, errTooShort()
	case RefNoKTP:
		return ktpocr.NewResultBody(referenceID, nil, errNoKTP()), nil
	}
	rest, ok := strings.CutPrefix(referenceID, refKTP)
	if !ok {
		return ktpocr.ResultBody{}, invalidCode("reference_id", referenceID)
	}
	if rest == "" {
		return ktpocr.NewResultBody(referenceID, s.extraction(ktpocr.Quality{}), nil), nil
	}
	rest, ok = strings.CutPrefix(rest, "_")
	if !ok {
		return ktpocr.ResultBody{}, invalidCode("reference_id", referenceID)
	}
	flags, validated := strings.CutSuffix(rest, "_V")
	q, ok := qualityCodes[flags]
	if !ok || flags == "" {
		return ktpocr.ResultBody{}, invalidCode("reference_id", referenceID)
	}
	x := s.extraction(q)
	if validated {
		return ktpocr.NewResultBody(referenceID, x, errQuality(q)), nil
	}
	return ktpocr.NewResultBody(referenceID, x, nil), nil
}

func (s *Sandbox) extraction(q ktpocr.Quality) *ktpocr.Extraction {
	x := &ktpocr.Extraction{Quality: q, Card: s.card, Extra: s.extra}
	// Copy the map so that a caller editing its result cannot change the
	// sandbox's answers.
	x.Extra.Confidence = make(map[string]float64, len(s.extra.Confidence))
	for k, v := range s.extra.Confidence {
		x.Extra.Confidence[k] = v
	}
	x.Extra.Corners = append([]ktpocr.Point(nil), s.extra.Corners...)
	return x
}

// qualitySuffix is the inverse of qualityCodes.
func qualitySuffix(q ktpocr.Quality) string {
	for k, v := range qualityCodes {
		if v == q {
			return k
		}
	}
	return ""
}

func errQuality(q ktpocr.Quality) error {
	var names []string
	for _, f := range []struct {
		on   bool
		name string
	}{{q.Blur, "blur"}, {q.Dark, "dark"}, {q.Flashlight, "flashlight"}, {q.Grayscale, "grayscale"}} {
		if f.on {
			names = append(names, f.name)
		}
	}
	return ktpocr.Errorf(ktpocr.CodeFailOn1, "Fail on quality: %s", strings.Join(names, ", "))
}

func errNoKTP() error {
	return ktpocr.Errorf(ktpocr.CodeNotKTP, "KTP not detected from image")
}

func errTooLong() error {
	return &ktpocr.Error{Code: ktpocr.CodeReferenceID, Message: "reference_id is too long", Fields: []string{"reference_id"}}
}

func errTooShort() error {
	return &ktpocr.Error{Code: ktpocr.CodeReferenceID, Message: "reference_id is too short", Fields: []string{"reference_id"}}
}

func invalidCode(field, value string) error {
	// The value is a client's sandbox code, not personal data, but it is
	// echoed only when short so that a live image sent to a sandbox App-ID
	// by mistake never comes back in an error message.
	msg := field + " is not a sandbox code"
	if len(value) <= 40 && !strings.ContainsAny(value, "\r\n") {
		msg += ": " + value
	}
	return &ktpocr.Error{Code: ktpocr.CodeInvalidSandboxCode, Message: msg, Fields: []string{field}}
}
