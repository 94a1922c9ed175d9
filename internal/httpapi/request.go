package httpapi

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"image"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/ktpocr/ktpocr"
)

// Limits of an image, per the contract.
const (
	maxImageBytes = 5 << 20
	minLongSide   = 720
	minShortSide  = 480
	// maxPixels refuses decompression bombs before anything decodes the
	// pixels: 50 MP is well above any phone camera's KTP photo.
	maxPixels = 50_000_000
	// Reference ids.
	minRefLen = 6
	maxRefLen = 64
)

// extractRequest is the body of both extraction POSTs, after the checks
// every application shares (JSON shape, presence and types of fields).
type extractRequest struct {
	Image           string
	ValidateQuality bool
	ReferenceID     string
	HasReferenceID  bool
	CallbackURL     string
	HasCallbackURL  bool
}

// readBody reads at most limit bytes of r's body; more is errBodyTooLarge.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.ContentLength > limit {
		return nil, errBodyTooLarge
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return nil, errBodyTooLarge
	}
	if err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeInvalidPayload, "request body could not be read")
	}
	return b, nil
}

// requestFields are the fields of an extraction request, in the order their
// errors are reported.
var requestFields = []string{"image", "validate_quality", "reference_id", "callback_url"}

// parseExtractRequest checks the shape of an extraction request body.
// Unknown fields are ignored, as a Verihubs client may send more.
func parseExtractRequest(b []byte) (*extractRequest, error) {
	raw, err := parseObject(b)
	if err != nil {
		return nil, err
	}
	// "Several empty fields": a body whose fields are mostly blank is a
	// client bug as a whole, not one field's fault.
	var empty []string
	for _, f := range requestFields {
		if v, ok := raw[f]; ok && isEmpty(v) {
			empty = append(empty, f)
		}
	}
	if len(empty) > 1 {
		return nil, &ktpocr.Error{Code: ktpocr.CodeInvalidPayload, Message: "several fields are empty", Fields: empty}
	}
	req := &extractRequest{}
	var bad []string
	str := func(name string, dst *string, has *bool) {
		v, ok := raw[name]
		if !ok {
			return
		}
		if has != nil {
			*has = true
		}
		if isNull(v) {
			return
		}
		if json.Unmarshal(v, dst) != nil {
			bad = append(bad, name)
		}
	}
	var hasImage bool
	str("image", &req.Image, &hasImage)
	str("reference_id", &req.ReferenceID, &req.HasReferenceID)
	str("callback_url", &req.CallbackURL, &req.HasCallbackURL)
	if v, ok := raw["validate_quality"]; ok && !isNull(v) {
		if json.Unmarshal(v, &req.ValidateQuality) != nil {
			bad = append(bad, "validate_quality")
		}
	}
	if len(bad) > 0 {
		slices.SortFunc(bad, func(a, b string) int { return slices.Index(requestFields, a) - slices.Index(requestFields, b) })
		return nil, &ktpocr.Error{Code: ktpocr.CodeInvalidPayload,
			Message: "fields of the wrong type: " + strings.Join(bad, ", "), Fields: bad}
	}
	if !hasImage {
		return nil, &ktpocr.Error{Code: ktpocr.CodeMissingImage, Message: "image is required", Fields: []string{"image"}}
	}
	if req.Image == "" {
		return nil, &ktpocr.Error{Code: ktpocr.CodeImageMissing, Message: "image is empty", Fields: []string{"image"}}
	}
	return req, nil
}

// parseObject decodes a JSON object body into its raw fields; anything else
// (nothing, not JSON, not an object, an object with no field) is
// INVALID_PAYLOAD.
func parseObject(b []byte) (map[string]json.RawMessage, error) {
	b = bytes.TrimSpace(b)
	if len(b) == 0 {
		return nil, ktpocr.Errorf(ktpocr.CodeInvalidPayload, "request body is empty")
	}
	if b[0] != '{' {
		return nil, ktpocr.Errorf(ktpocr.CodeInvalidPayload, "request body is not a JSON object")
	}
	var raw map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(b))
	if err := dec.Decode(&raw); err != nil {
		return nil, ktpocr.Errorf(ktpocr.CodeInvalidPayload, "request body is not valid JSON")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, ktpocr.Errorf(ktpocr.CodeInvalidPayload, "request body has data after the JSON object")
	}
	if len(raw) == 0 {
		return nil, ktpocr.Errorf(ktpocr.CodeInvalidPayload, "request body is empty")
	}
	return raw, nil
}

func isNull(v json.RawMessage) bool { return string(bytes.TrimSpace(v)) == "null" }

func isEmpty(v json.RawMessage) bool {
	s := string(bytes.TrimSpace(v))
	return s == "null" || s == `""`
}

// checkReferenceID applies the live rules: 6 to 64 characters of
// A-Z a-z 0-9 _ - . :
func checkReferenceID(id string) error {
	fields := []string{"reference_id"}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !('A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("_-.:", c) >= 0) {
			return &ktpocr.Error{Code: ktpocr.CodeReferenceID, Fields: fields,
				Message: "reference_id has characters other than A-Z a-z 0-9 _ - . :"}
		}
	}
	switch {
	case len(id) < minRefLen:
		return &ktpocr.Error{Code: ktpocr.CodeReferenceID, Fields: fields,
			Message: "reference_id is too short: at least 6 characters"}
	case len(id) > maxRefLen:
		return &ktpocr.Error{Code: ktpocr.CodeReferenceID, Fields: fields,
			Message: "reference_id is too long: at most 64 characters"}
	}
	return nil
}

// imageBytes turns the image field into bytes: an http(s) URL is fetched,
// anything else is base64 with an optional data: prefix. The bytes are
// then checked (format by content, size, dimensions) without decoding the
// pixels, so that async submissions fail at once on a bad image.
func (s *server) imageBytes(ctx context.Context, field string) ([]byte, error) {
	var b []byte
	lower := strings.ToLower(field[:min(len(field), 8)])
	if strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://") {
		if s.cfg.Fetcher == nil {
			return nil, &ktpocr.Error{Code: ktpocr.CodeImageFormat, Fields: []string{"image"},
				Message: "image URLs are not accepted by this server; send base64"}
		}
		fetched, err := s.cfg.Fetcher(ctx, field)
		if err != nil {
			var e *ktpocr.Error
			if errors.As(err, &e) && e.Code != ktpocr.CodeInternal {
				return nil, err
			}
			return nil, &ktpocr.Error{Code: ktpocr.CodeImageFormat, Fields: []string{"image"},
				Message: "image URL could not be fetched", Err: err}
		}
		b = fetched
	} else {
		decoded, err := decodeBase64Image(field)
		if err != nil {
			return nil, err
		}
		b = decoded
	}
	if err := checkImage(b); err != nil {
		return nil, err
	}
	return b, nil
}

func decodeBase64Image(s string) ([]byte, error) {
	if rest, ok := strings.CutPrefix(s, "data:"); ok {
		meta, data, ok := strings.Cut(rest, ",")
		if !ok || !strings.HasSuffix(strings.ToLower(meta), ";base64") {
			return nil, &ktpocr.Error{Code: ktpocr.CodeImageFormat, Fields: []string{"image"},
				Message: "image data URL must be base64"}
		}
		s = data
	}
	// Refuse before decoding: base64 is 4 characters per 3 bytes.
	if len(s)/4*3 > maxImageBytes+3 {
		return nil, &ktpocr.Error{Code: ktpocr.CodeImageSize, Fields: []string{"image"},
			Message: "image is larger than 5 MB"}
	}
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' || r == ' ' || r == '\t' {
			return -1
		}
		return r
	}, s)
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, &ktpocr.Error{Code: ktpocr.CodeImageFormat, Fields: []string{"image"},
		Message: "image is neither base64 nor an http(s) URL"}
}

// checkImage tells the format by content and checks the size limits from
// the header alone.
func checkImage(b []byte) error {
	fields := []string{"image"}
	if len(b) > maxImageBytes {
		return &ktpocr.Error{Code: ktpocr.CodeImageSize, Fields: fields, Message: "image is larger than 5 MB"}
	}
	var decodeConfig func(io.Reader) (image.Config, error)
	switch {
	case bytes.HasPrefix(b, []byte("\xff\xd8\xff")):
		decodeConfig = jpeg.DecodeConfig
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		decodeConfig = png.DecodeConfig
	default:
		return &ktpocr.Error{Code: ktpocr.CodeImageFormat, Fields: fields, Message: "image is not JPEG or PNG"}
	}
	c, err := decodeConfig(bytes.NewReader(b))
	if err != nil {
		return &ktpocr.Error{Code: ktpocr.CodeImageFormat, Fields: fields, Message: "image could not be decoded"}
	}
	long, short := max(c.Width, c.Height), min(c.Width, c.Height)
	if long < minLongSide || short < minShortSide {
		return &ktpocr.Error{Code: ktpocr.CodeImageSize, Fields: fields,
			Message: "image is too small: at least 720x480 pixels"}
	}
	if int64(c.Width)*int64(c.Height) > maxPixels {
		return &ktpocr.Error{Code: ktpocr.CodeImageSize, Fields: fields,
			Message: "image has too many pixels: at most 50 megapixels"}
	}
	return nil
}

func jsonString(v json.RawMessage, dst *string) error { return json.Unmarshal(v, dst) }
