// Package imaging turns the bytes of an uploaded image into an upright
// image.Image: it tells JPEG from PNG by content, enforces the size rules of
// the API before any pixel is allocated, and applies the EXIF orientation.
package imaging

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/draw"
	"image/jpeg"
	"image/png"

	"github.com/ktpocr/ktpocr"
)

// Limits are the size rules an image must pass. A zero field takes its
// default, so Limits{} is the API contract.
type Limits struct {
	// MaxBytes caps the encoded size. Defaults to 5 MB (5<<20).
	MaxBytes int
	// MinLong and MinShort are the smallest accepted long and short sides,
	// so that 720x480 and 480x720 both pass. Default to 720 and 480.
	MinLong, MinShort int
	// MaxPixels caps width*height, read from the header before decoding so
	// that a decompression bomb is refused without allocating. Defaults to
	// 40 million.
	MaxPixels int
}

// Defaults of Limits.
const (
	DefaultMaxBytes  = 5 << 20
	DefaultMinLong   = 720
	DefaultMinShort  = 480
	DefaultMaxPixels = 40_000_000
)

// DefaultLimits are the limits of the API contract.
var DefaultLimits = Limits{}.WithDefaults()

// WithDefaults returns l with its zero fields set to their defaults.
func (l Limits) WithDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MinLong <= 0 {
		l.MinLong = DefaultMinLong
	}
	if l.MinShort <= 0 {
		l.MinShort = DefaultMinShort
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	return l
}

// Format is an encoded image format told by its magic bytes.
type Format string

// Formats Sniff knows. Only JPEG and PNG are accepted by Decode; the others
// are named so that the client is told what it sent.
const (
	FormatUnknown Format = ""
	FormatJPEG    Format = "jpeg"
	FormatPNG     Format = "png"
	FormatGIF     Format = "gif"
	FormatWebP    Format = "webp"
	FormatBMP     Format = "bmp"
	FormatTIFF    Format = "tiff"
	FormatHEIC    Format = "heic"
)

// Sniff tells the format of data from its first bytes; file names and
// declared MIME types are never trusted.
func Sniff(data []byte) Format {
	switch {
	case len(data) >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF:
		return FormatJPEG
	case bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")):
		return FormatPNG
	case bytes.HasPrefix(data, []byte("GIF87a")), bytes.HasPrefix(data, []byte("GIF89a")):
		return FormatGIF
	case len(data) >= 12 && string(data[0:4]) == "RIFF" && string(data[8:12]) == "WEBP":
		return FormatWebP
	case bytes.HasPrefix(data, []byte("BM")):
		return FormatBMP
	case bytes.HasPrefix(data, []byte("II*\x00")), bytes.HasPrefix(data, []byte("MM\x00*")):
		return FormatTIFF
	case len(data) >= 12 && string(data[4:8]) == "ftyp":
		return FormatHEIC
	}
	return FormatUnknown
}

// Decode checks data against lim and decodes it into an upright image (EXIF
// orientation applied). Errors are *ktpocr.Error: INVALID_PAYLOAD_IMAGE_SIZE
// when a size rule fails, INVALID_PAYLOAD_IMAGE_FORMAT when data is not a
// whole JPEG or PNG.
func Decode(data []byte, lim Limits) (image.Image, error) {
	lim = lim.WithDefaults()
	if len(data) == 0 {
		return nil, ktpocr.Errorf(ktpocr.CodeImageFormat, "image is empty")
	}
	if len(data) > lim.MaxBytes {
		return nil, ktpocr.Errorf(ktpocr.CodeImageSize,
			"image is %s, over the limit of %s", mb(len(data)), mb(lim.MaxBytes))
	}
	f := Sniff(data)
	var decodeConfig func([]byte) (image.Config, error)
	var decode func([]byte) (image.Image, error)
	switch f {
	case FormatJPEG:
		decodeConfig = func(b []byte) (image.Config, error) { return jpeg.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return jpeg.Decode(bytes.NewReader(b)) }
	case FormatPNG:
		decodeConfig = func(b []byte) (image.Config, error) { return png.DecodeConfig(bytes.NewReader(b)) }
		decode = func(b []byte) (image.Image, error) { return png.Decode(bytes.NewReader(b)) }
	case FormatUnknown:
		return nil, ktpocr.Errorf(ktpocr.CodeImageFormat, "image is not a JPEG or PNG")
	default:
		return nil, ktpocr.Errorf(ktpocr.CodeImageFormat,
			"image is %s; only JPEG and PNG are accepted", f)
	}
	cfg, err := decodeConfig(data)
	if err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeImageFormat, fmt.Sprintf("image is not a valid %s", f))
	}
	w, h := cfg.Width, cfg.Height
	// Compare in int64: a forged header may hold dimensions whose product
	// overflows on 32-bit platforms.
	if w <= 0 || h <= 0 || int64(w)*int64(h) > int64(lim.MaxPixels) {
		return nil, ktpocr.Errorf(ktpocr.CodeImageSize,
			"image is %dx%d, over the limit of %d pixels", w, h, lim.MaxPixels)
	}
	if max(w, h) < lim.MinLong || min(w, h) < lim.MinShort {
		return nil, ktpocr.Errorf(ktpocr.CodeImageSize,
			"image is %dx%d, under the minimum of %dx%d", w, h, lim.MinLong, lim.MinShort)
	}
	img, err := decode(data)
	if err != nil {
		return nil, ktpocr.Wrap(err, ktpocr.CodeImageFormat, fmt.Sprintf("image is not a valid %s", f))
	}
	if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
		// The decoders never do this; refuse rather than trust a size the
		// limits were not checked against.
		return nil, ktpocr.Wrap(errors.New("decoded size differs from header"),
			ktpocr.CodeImageFormat, fmt.Sprintf("image is not a valid %s", f))
	}
	var o Orientation
	switch f {
	case FormatJPEG:
		o = jpegOrientation(data)
	case FormatPNG:
		o = pngOrientation(data)
	}
	return Orient(img, o), nil
}

func mb(n int) string {
	return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
}

// Orientation is the EXIF orientation tag (0x0112): how the stored pixels
// must be turned to be seen upright. 1 (and 0, no tag) is upright.
type Orientation int

// Orient returns img turned upright according to o. Values outside 2..8
// return img unchanged; otherwise the result is a new *image.RGBA.
func Orient(img image.Image, o Orientation) image.Image {
	if o < 2 || o > 8 {
		return img
	}
	src := toRGBA(img)
	w, h := src.Rect.Dx(), src.Rect.Dy()
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, ow, oh))
	for y := 0; y < oh; y++ {
		drow := dst.Pix[y*dst.Stride : y*dst.Stride+ow*4]
		for x := 0; x < ow; x++ {
			// (sx, sy) is the stored pixel shown at (x, y).
			var sx, sy int
			switch o {
			case 2: // mirrored
				sx, sy = w-1-x, y
			case 3: // turned 180°
				sx, sy = w-1-x, h-1-y
			case 4: // flipped vertically
				sx, sy = x, h-1-y
			case 5: // transposed
				sx, sy = y, x
			case 6: // needs 90° clockwise
				sx, sy = y, h-1-x
			case 7: // transversed
				sx, sy = w-1-y, h-1-x
			case 8: // needs 90° counter-clockwise
				sx, sy = w-1-y, x
			}
			i := sy*src.Stride + sx*4
			copy(drow[x*4:x*4+4], src.Pix[i:i+4])
		}
	}
	return dst
}

// toRGBA returns img as an *image.RGBA with origin (0,0), converting with
// image/draw, which has fast paths for the decoders' YCbCr and Gray output.
func toRGBA(img image.Image) *image.RGBA {
	if r, ok := img.(*image.RGBA); ok && r.Rect.Min == (image.Point{}) {
		return r
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	return dst
}
