package ktp

import (
	"context"
	"image"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/ktpocr/ktpocr/internal/ocr"
)

func TestFitLayout(t *testing.T) {
	card := image.Rect(0, 0, 1000, 631)
	got := fitLayout(card, []image.Rectangle{
		image.Rect(300, 30, 760, 60),   // long header line: kept whole
		image.Rect(254, 160, 600, 180), // value: kept
		image.Rect(254, 190, 800, 210), // value run into the photo: cut
		image.Rect(745, 400, 950, 420), // issue place under the photo: dropped
		image.Rect(760, 500, 900, 540), // signature: dropped
	})
	want := []image.Rectangle{
		image.Rect(300, 30, 760, 60),
		image.Rect(254, 160, 600, 180),
		image.Rect(254, 190, 730, 210),
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("fitLayout (-want +got):\n%s", d)
	}
}

func TestSplitNIK(t *testing.T) {
	card := image.Rect(0, 0, 1000, 631)
	nama := image.Rect(34, 158, 90, 178)
	for _, tc := range []struct {
		name      string
		boxes     []image.Rectangle
		wantBoxes []image.Rectangle
		wantNIK   image.Rectangle
	}{
		{
			name:      "merged with its label",
			boxes:     []image.Rectangle{image.Rect(34, 115, 560, 145), nama},
			wantBoxes: []image.Rectangle{image.Rect(34, 115, 215, 145), nama},
			wantNIK:   image.Rect(200, 115, 560, 145),
		},
		{
			name:      "apart from its label",
			boxes:     []image.Rectangle{image.Rect(34, 115, 95, 145), image.Rect(225, 113, 560, 147), nama},
			wantBoxes: []image.Rectangle{image.Rect(34, 115, 95, 145), nama},
			wantNIK:   image.Rect(225, 113, 560, 147),
		},
		{
			name:      "colon and digits apart from the label",
			boxes:     []image.Rectangle{image.Rect(34, 115, 95, 145), image.Rect(200, 113, 560, 147), nama},
			wantBoxes: []image.Rectangle{image.Rect(34, 115, 95, 145), nama},
			wantNIK:   image.Rect(200, 113, 560, 147),
		},
		{
			name:      "no NIK line",
			boxes:     []image.Rectangle{image.Rect(34, 115, 95, 145), nama},
			wantBoxes: []image.Rectangle{image.Rect(34, 115, 95, 145), nama},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			boxes, nik := splitNIK(card, tc.boxes)
			if d := cmp.Diff(tc.wantBoxes, boxes); d != "" {
				t.Errorf("boxes (-want +got):\n%s", d)
			}
			if nik != tc.wantNIK {
				t.Errorf("NIK box = %v, want %v", nik, tc.wantNIK)
			}
		})
	}
}

// scaleEngine detects one fixed box in the pixels of the image it is given.
type scaleEngine struct {
	ocr.Engine
	seen image.Rectangle
}

func (e *scaleEngine) Detect(ctx context.Context, img image.Image) ([]image.Rectangle, error) {
	e.seen = img.Bounds()
	return []image.Rectangle{image.Rect(160, 80, 321, 96)}, nil
}

func TestDetectScalesBack(t *testing.T) {
	e := &scaleEngine{}
	boxes, err := (&Reader{Engine: e}).detect(context.Background(), image.NewRGBA(image.Rect(0, 0, 1000, 631)), 640)
	if err != nil {
		t.Fatal(err)
	}
	if want := image.Rect(0, 0, 640, 404); e.seen != want {
		t.Errorf("detector saw %v, want %v", e.seen, want)
	}
	if want := []image.Rectangle{image.Rect(250, 125, 502, 150)}; !cmp.Equal(boxes, want) {
		t.Errorf("boxes = %v, want %v", boxes, want)
	}
}

func TestDropFragments(t *testing.T) {
	value := image.Rect(250, 148, 567, 175) // "SUTRISNO WIRATAMA SUSANTO"
	for _, tc := range []struct {
		name  string
		box   image.Rectangle
		other image.Rectangle
		drop  bool
	}{
		{"a colon and first letter found twice", image.Rect(240, 155, 259, 171), value, true},
		{"a colon beside its value", image.Rect(226, 152, 240, 172), value, false},
		{"a short word inside a box of two lines", image.Rect(250, 150, 300, 175), image.Rect(240, 148, 560, 205), false},
		{"a whole line inside a wider box", image.Rect(250, 150, 450, 172), value, false},
		{"a fragment on another row", image.Rect(240, 185, 259, 201), value, false},
	} {
		got := dropFragments([]image.Rectangle{tc.other, tc.box})
		if dropped := len(got) == 1; dropped != tc.drop || got[0] != tc.other {
			t.Errorf("%s: kept %v, want the fragment dropped %v", tc.name, got, tc.drop)
		}
	}
}
