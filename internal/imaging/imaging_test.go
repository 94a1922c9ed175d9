package imaging_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/imaging"
)

// Quadrant colours of the stored test image: far apart so that JPEG loss
// cannot confuse them.
var (
	red   = color.RGBA{220, 20, 20, 255}
	green = color.RGBA{20, 200, 20, 255}
	blue  = color.RGBA{20, 20, 220, 255}
	white = color.RGBA{240, 240, 240, 255}
)

// quadrants returns a w x h image whose top-left, top-right, bottom-right
// and bottom-left quadrants are red, green, blue and white.
func quadrants(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := red
			switch {
			case x >= w/2 && y < h/2:
				c = green
			case x >= w/2 && y >= h/2:
				c = blue
			case x < w/2 && y >= h/2:
				c = white
			}
			img.SetRGBA(x, y, c)
		}
	}
	return img
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// tiffWithOrientation is a minimal TIFF header with one IFD0 entry, the
// orientation tag, in the given byte order.
func tiffWithOrientation(o int, bo binary.ByteOrder) []byte {
	t := make([]byte, 8+2+12+4)
	if bo == binary.LittleEndian {
		copy(t, "II")
	} else {
		copy(t, "MM")
	}
	bo.PutUint16(t[2:], 42)
	bo.PutUint32(t[4:], 8)
	bo.PutUint16(t[8:], 1)
	bo.PutUint16(t[10:], 0x0112)
	bo.PutUint16(t[12:], 3)
	bo.PutUint32(t[14:], 1)
	bo.PutUint16(t[18:], uint16(o))
	return t
}

// withEXIF inserts an APP1 Exif segment right after the SOI of a JPEG.
func withEXIF(jpg []byte, o int, bo binary.ByteOrder) []byte {
	payload := append([]byte("Exif\x00\x00"), tiffWithOrientation(o, bo)...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

// withEXIfChunk inserts an eXIf chunk after the IHDR of a PNG.
func withEXIfChunk(p []byte, o int) []byte {
	data := tiffWithOrientation(o, binary.BigEndian)
	chunk := make([]byte, 8, 12+len(data))
	binary.BigEndian.PutUint32(chunk, uint32(len(data)))
	copy(chunk[4:], "eXIf")
	chunk = append(chunk, data...)
	chunk = binary.BigEndian.AppendUint32(chunk, crc32.ChecksumIEEE(chunk[4:]))
	ihdrEnd := 8 + 12 + 13
	out := append([]byte{}, p[:ihdrEnd]...)
	out = append(out, chunk...)
	return append(out, p[ihdrEnd:]...)
}

func near(a, b color.Color) bool {
	r1, g1, b1, _ := a.RGBA()
	r2, g2, b2, _ := b.RGBA()
	d := func(x, y uint32) bool { return int(x>>8)-int(y>>8) < 40 && int(y>>8)-int(x>>8) < 40 }
	return d(r1, r2) && d(g1, g2) && d(b1, b2)
}

// corners returns the colours at the four corners, TL, TR, BR, BL, sampled
// a little inside to stay clear of JPEG ringing at the edges.
func corners(img image.Image) [4]color.Color {
	b := img.Bounds()
	m := 10
	return [4]color.Color{
		img.At(b.Min.X+m, b.Min.Y+m), img.At(b.Max.X-1-m, b.Min.Y+m),
		img.At(b.Max.X-1-m, b.Max.Y-1-m), img.At(b.Min.X+m, b.Max.Y-1-m),
	}
}

func TestDecodeOrientation(t *testing.T) {
	t.Parallel()
	const w, h = 800, 500
	stored := quadrants(w, h)
	// Where the stored first pixel (red, TL quadrant) and the end of the
	// stored first row (green) are shown, per the EXIF specification's
	// "row 0 / column 0" table: e.g. 6 = row 0 on the right, column 0 at the
	// top, so red is shown top-right and green bottom-right.
	tests := []struct {
		o    int
		want [4]color.Color // TL, TR, BR, BL as displayed
		size image.Point
	}{
		{0, [4]color.Color{red, green, blue, white}, image.Pt(w, h)},
		{1, [4]color.Color{red, green, blue, white}, image.Pt(w, h)},
		{2, [4]color.Color{green, red, white, blue}, image.Pt(w, h)},
		{3, [4]color.Color{blue, white, red, green}, image.Pt(w, h)},
		{4, [4]color.Color{white, blue, green, red}, image.Pt(w, h)},
		{5, [4]color.Color{red, white, blue, green}, image.Pt(h, w)},
		{6, [4]color.Color{white, red, green, blue}, image.Pt(h, w)},
		{7, [4]color.Color{blue, green, red, white}, image.Pt(h, w)},
		{8, [4]color.Color{green, blue, white, red}, image.Pt(h, w)},
	}
	jpg := encodeJPEG(t, stored)
	pngData := encodePNG(t, stored)
	for _, tt := range tests {
		inputs := map[string][]byte{
			"jpeg-II": withEXIF(jpg, tt.o, binary.LittleEndian),
			"jpeg-MM": withEXIF(jpg, tt.o, binary.BigEndian),
			"png":     withEXIfChunk(pngData, tt.o),
		}
		for name, data := range inputs {
			img, err := imaging.Decode(data, imaging.Limits{})
			if err != nil {
				t.Fatalf("orientation %d %s: Decode: %v", tt.o, name, err)
			}
			if got := img.Bounds().Size(); got != tt.size {
				t.Errorf("orientation %d %s: size = %v, want %v", tt.o, name, got, tt.size)
			}
			got := corners(img)
			for i := range got {
				if !near(got[i], tt.want[i]) {
					t.Errorf("orientation %d %s: corner %d = %v, want %v", tt.o, name, i, got[i], tt.want[i])
				}
			}
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEG(t, quadrants(720, 480))
	var gifData bytes.Buffer
	if err := gif.Encode(&gifData, quadrants(720, 480), nil); err != nil {
		t.Fatal(err)
	}
	// A PNG header claiming 50000x50000: only the 33 bytes of signature and
	// IHDR exist, so if Decode tried to decode it would fail with a format
	// error, not a size error.
	bomb := pngHeader(50000, 50000)
	tests := []struct {
		name string
		data []byte
		lim  imaging.Limits
		want ktpocr.Code
	}{
		{"empty", nil, imaging.Limits{}, ktpocr.CodeImageFormat},
		{"text", []byte("hello, this is not an image at all"), imaging.Limits{}, ktpocr.CodeImageFormat},
		{"gif", gifData.Bytes(), imaging.Limits{}, ktpocr.CodeImageFormat},
		{"webp", []byte("RIFF\x00\x00\x00\x00WEBPVP8 "), imaging.Limits{}, ktpocr.CodeImageFormat},
		{"bmp", []byte("BM\x00\x00\x00\x00\x00\x00\x00\x00"), imaging.Limits{}, ktpocr.CodeImageFormat},
		{"truncated jpeg", jpg[:len(jpg)/2], imaging.Limits{}, ktpocr.CodeImageFormat},
		{"jpeg header only", jpg[:20], imaging.Limits{}, ktpocr.CodeImageFormat},
		{"too small", encodeJPEG(t, quadrants(719, 480)), imaging.Limits{}, ktpocr.CodeImageSize},
		{"too small portrait", encodePNG(t, quadrants(479, 720)), imaging.Limits{}, ktpocr.CodeImageSize},
		{"too many bytes", jpg, imaging.Limits{MaxBytes: len(jpg) - 1}, ktpocr.CodeImageSize},
		{"bomb", bomb, imaging.Limits{}, ktpocr.CodeImageSize},
		{"over pixel cap", jpg, imaging.Limits{MaxPixels: 720*480 - 1}, ktpocr.CodeImageSize},
	}
	for _, tt := range tests {
		img, err := imaging.Decode(tt.data, tt.lim)
		var e *ktpocr.Error
		if !errors.As(err, &e) {
			t.Errorf("%s: Decode error = %v, want *ktpocr.Error", tt.name, err)
			continue
		}
		if img != nil || e.Code != tt.want {
			t.Errorf("%s: Decode = %v, %v; want nil, %s", tt.name, img, err, tt.want)
		}
	}
}

func TestDecodeAcceptsMinimumBothWays(t *testing.T) {
	t.Parallel()
	for _, sz := range []image.Point{{720, 480}, {480, 720}} {
		img, err := imaging.Decode(encodePNG(t, quadrants(sz.X, sz.Y)), imaging.Limits{})
		if err != nil {
			t.Fatalf("Decode(%v) error: %v", sz, err)
		}
		if got := img.Bounds().Size(); got != sz {
			t.Errorf("Decode(%v) size = %v", sz, got)
		}
	}
}

// pngHeader returns the signature and IHDR chunk of an 8-bit RGB PNG of the
// given size, with no image data.
func pngHeader(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := make([]byte, 0, 25)
	ihdr = binary.BigEndian.AppendUint32(ihdr, 13)
	ihdr = append(ihdr, "IHDR"...)
	ihdr = binary.BigEndian.AppendUint32(ihdr, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 2, 0, 0, 0)
	ihdr = binary.BigEndian.AppendUint32(ihdr, crc32.ChecksumIEEE(ihdr[4:]))
	return append(b, ihdr...)
}

func TestDecodeBase64(t *testing.T) {
	t.Parallel()
	raw := []byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0xFB, 0xEF, 0xBE}
	std := base64.StdEncoding.EncodeToString(raw)
	url := base64.URLEncoding.EncodeToString(raw)
	if std == url {
		t.Fatal("test data must differ between alphabets")
	}
	ok := []string{
		std,
		base64.RawStdEncoding.EncodeToString(raw),
		url,
		base64.RawURLEncoding.EncodeToString(raw),
		"data:image/jpeg;base64," + std,
		"data:image/png;base64," + url,
		"data:;base64," + std,
		"  " + std[:4] + "\n" + std[4:8] + "\r\n\t" + std[8:] + "\n",
	}
	for _, s := range ok {
		got, err := imaging.DecodeBase64(s)
		if err != nil {
			t.Errorf("DecodeBase64(%q) error: %v", s, err)
			continue
		}
		if diff := cmp.Diff(raw, got); diff != "" {
			t.Errorf("DecodeBase64(%q) mismatch (-want +got):\n%s", s, diff)
		}
	}
	bad := map[string]ktpocr.Code{
		"":                          ktpocr.CodeImageMissing,
		"  \n":                      ktpocr.CodeImageMissing,
		"data:image/png;base64,":    ktpocr.CodeImageMissing,
		"data:image/png," + std:     ktpocr.CodeImageFormat,
		"data:text/html;base64,QQ":  ktpocr.CodeImageFormat,
		"data:image/png;base64":     ktpocr.CodeImageFormat,
		"not base64 at all!":        ktpocr.CodeImageFormat,
		"ab+_cd":                    ktpocr.CodeImageFormat,
		"A":                         ktpocr.CodeImageFormat,
		"https://example.com/a.jpg": ktpocr.CodeImageFormat,
	}
	for s, want := range bad {
		_, err := imaging.DecodeBase64(s)
		if got := ktpocr.ErrorCode(err); got != want {
			t.Errorf("DecodeBase64(%q) code = %q (%v), want %q", s, got, err, want)
		}
	}
}

// FuzzDecode checks that no input panics Decode, and that an accepted image
// honours the limits. The seed corpus runs in every `go test`.
func FuzzDecode(f *testing.F) {
	small := quadrants(16, 12)
	var jb bytes.Buffer
	_ = jpeg.Encode(&jb, small, nil)
	var pb bytes.Buffer
	_ = png.Encode(&pb, small)
	for _, o := range []int{0, 3, 6, 8} {
		f.Add(withEXIF(jb.Bytes(), o, binary.LittleEndian))
		f.Add(withEXIfChunk(pb.Bytes(), o))
	}
	f.Add(jb.Bytes()[:len(jb.Bytes())/2])
	f.Add(pngHeader(50000, 50000))
	f.Add(pngHeader(0, 0))
	f.Add([]byte("\xFF\xD8\xFF\xE1\x00\x08Exif\x00\x00"))
	f.Add([]byte("\xFF\xD8\xFF\xE1\xFF\xFFExif\x00\x00MM\x00*\xFF\xFF\xFF\xFF"))
	f.Add([]byte("GIF89a"))
	lim := imaging.Limits{MinLong: 1, MinShort: 1, MaxPixels: 1 << 16}
	f.Fuzz(func(t *testing.T, data []byte) {
		img, err := imaging.Decode(data, lim)
		if err != nil {
			var e *ktpocr.Error
			if !errors.As(err, &e) {
				t.Fatalf("Decode error %v is not *ktpocr.Error", err)
			}
			return
		}
		b := img.Bounds()
		if b.Dx()*b.Dy() > lim.MaxPixels || b.Empty() {
			t.Fatalf("Decode accepted a %v image", b)
		}
	})
}
