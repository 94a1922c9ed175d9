package imaging

import (
	"encoding/base64"
	"strings"

	"github.com/ktpocr/ktpocr"
)

// DecodeBase64 decodes the image field of a request: base64 in the standard
// or URL-safe alphabet, with or without padding, whitespace and line breaks
// ignored, optionally behind a "data:image/...;base64," prefix. Errors are
// *ktpocr.Error: INVALID_PAYLOAD_IMAGE_MISSING when nothing is left to
// decode, INVALID_PAYLOAD_IMAGE_FORMAT when it is not base64. The caller
// bounds len(s) (the request body limit) before calling.
func DecodeBase64(s string) ([]byte, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "data:") {
		comma := strings.IndexByte(s, ',')
		if comma < 0 {
			return nil, ktpocr.Errorf(ktpocr.CodeImageFormat, "image data URL has no comma")
		}
		meta := s[len("data:"):comma]
		if !strings.HasSuffix(meta, ";base64") {
			return nil, ktpocr.Errorf(ktpocr.CodeImageFormat, "image data URL is not base64")
		}
		if mt := strings.TrimSuffix(meta, ";base64"); mt != "" && !strings.HasPrefix(mt, "image/") {
			return nil, ktpocr.Errorf(ktpocr.CodeImageFormat, "image data URL is not an image")
		}
		s = s[comma+1:]
	}
	// Drop whitespace and padding in one pass; the raw encodings below then
	// accept both padded and unpadded input.
	urlSafe, std := false, false
	clean := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case ' ', '\t', '\r', '\n', '=':
			continue
		case '-', '_':
			urlSafe = true
		case '+', '/':
			std = true
		}
		clean = append(clean, c)
	}
	if len(clean) == 0 {
		return nil, ktpocr.Errorf(ktpocr.CodeImageMissing, "image is empty")
	}
	if urlSafe && std {
		return nil, ktpocr.Errorf(ktpocr.CodeImageFormat, "image base64 mixes the standard and URL-safe alphabets")
	}
	enc := base64.RawStdEncoding
	if urlSafe {
		enc = base64.RawURLEncoding
	}
	out := make([]byte, enc.DecodedLen(len(clean)))
	n, err := enc.Decode(out, clean)
	if err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeImageFormat, "image is not valid base64")
	}
	return out[:n], nil
}
