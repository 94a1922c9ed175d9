package synth

import (
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

// Card canvas size in pixels: ID-1 aspect (85.6 x 54 mm) at about 11.7 px/mm.
const (
	cardW = 1000
	cardH = 631
)

// labels are the printed left-column labels; the parody card swaps them for
// nonsense so that a detector keyed on colour alone would accept it.
type labels struct {
	province, city                                  string // header prefixes
	nik, name, birth, gender, blood, address        string
	rtrw, village, district, religion, marital, job string
	nationality, validUntil                         string
}

var ktpLabels = labels{
	province: "PROVINSI ", nik: "NIK", name: "Nama", birth: "Tempat/Tgl Lahir", gender: "Jenis Kelamin",
	blood: "Gol. Darah", address: "Alamat", rtrw: "RT/RW", village: "Kel/Desa", district: "Kecamatan",
	religion: "Agama", marital: "Status Perkawinan", job: "Pekerjaan", nationality: "Kewarganegaraan",
	validUntil: "Berlaku Hingga",
}

var parodyLabels = labels{
	province: "KERAJAAN ", nik: "NIP", name: "Nama Kucing", birth: "Tempat/Tgl Tidur", gender: "Jenis Bulu",
	blood: "Gol. Makan", address: "Kandang", rtrw: "Lantai", village: "Sofa", district: "Karpet",
	religion: "Hobi", marital: "Status Mood", job: "Tugas", nationality: "Spesies",
	validUntil: "Berlaku Sampai",
}

var ink = color.RGBA{28, 30, 40, 255}

// cardLayout records where the card's text went, in card pixels.
type cardLayout struct {
	textBoxes []image.Rectangle
	// fields holds the boxes of each field's printed value, by the JSON
	// name of ktpocr.Card's field, and "valid_until".
	fields map[string][]image.Rectangle
}

// last returns the box of the text drawn last.
func (l *cardLayout) last() image.Rectangle { return l.textBoxes[len(l.textBoxes)-1] }

// addField records box as (part of) where field's value is printed.
func (l *cardLayout) addField(field string, box image.Rectangle) {
	if l.fields == nil {
		l.fields = map[string][]image.Rectangle{}
	}
	l.fields[field] = append(l.fields[field], box)
}

// renderCard draws the front of an e-KTP for p.
func renderCard(r *rand.Rand, fs faces, p Person, lb labels) (*image.RGBA, cardLayout) {
	img := image.NewRGBA(image.Rect(0, 0, cardW, cardH))
	cardBackground(r, img)
	var lay cardLayout
	tint := func(c color.RGBA) *image.Uniform { return image.NewUniform(c) }
	text := func(face font.Face, x, y float64, s string) float64 {
		d := font.Drawer{Dst: img, Src: tint(ink), Face: face, Dot: fixed.P(int(math.Round(x)), int(math.Round(y)))}
		b, adv := d.BoundString(s)
		d.DrawString(s)
		lay.textBoxes = append(lay.textBoxes, image.Rect(b.Min.X.Floor(), b.Min.Y.Floor(), b.Max.X.Ceil(), b.Max.Y.Ceil()))
		return float64(adv.Ceil())
	}
	width := func(face font.Face, s string) float64 { return float64(font.MeasureString(face, s).Ceil()) }

	// Header: two centred bold lines.
	hf := fs.get("sansBold", 27)
	l1 := lb.province + p.Card.State
	l2 := p.Card.City
	text(hf, (cardW-width(hf, l1))/2, 44, l1)
	lay.addField("state", lay.last())
	text(hf, (cardW-width(hf, l2))/2, 78, l2)
	lay.addField("city", lay.last())

	// NIK line: bold label, OCR-A digits, larger.
	nf := fs.get("sansBold", 27)
	text(nf, 34, 132, lb.nik)
	text(nf, 200, 132, ":")
	text(fs.get("ocra", 33), 220, 134, p.Card.NIK)
	lay.addField("nik", lay.last())

	// Fields. The value column ends before the photo box.
	const (
		labelX = 34.0
		colonX = 238.0
		valueX = 254.0
		valueR = 715.0
		indent = 30.0
	)
	ff := fs.get("sans", 20)
	type row struct {
		label, value string
		indent, wrap bool
	}
	// field names the rows' values, "birth" the place and date together.
	fields := []string{"full_name", "birth", "gender", "address", "rt_rw", "administrative_village",
		"district", "religion", "marital_status", "occupation", "nationality", "valid_until"}
	rows := []row{
		{lb.name, p.Card.FullName, false, true},
		{lb.birth, p.Card.PlaceOfBirth + ", " + p.Card.DateOfBirth, false, true},
		{lb.gender, p.Card.Gender, false, false},
		{lb.address, p.Card.Address, false, true},
		{lb.rtrw, p.Card.RTRW, true, false},
		{lb.village, p.Card.AdministrativeVillage, true, true},
		{lb.district, p.Card.District, true, true},
		{lb.religion, p.Card.Religion, false, false},
		{lb.marital, p.Card.MaritalStatus, false, false},
		{lb.job, p.Card.Occupation, false, true},
		{lb.nationality, p.Card.Nationality, false, false},
		{lb.validUntil, p.ValidUntil, false, false},
	}
	wrapped := make([][]string, len(rows))
	n := 0
	for i, rw := range rows {
		if rw.wrap {
			wrapped[i] = wrapText(ff, rw.value, valueR-valueX)
		} else {
			wrapped[i] = []string{rw.value}
		}
		n += len(wrapped[i])
	}
	lineH := math.Min(29, (575-168)/float64(n-1))
	y := 168.0
	for i, rw := range rows {
		x := labelX
		if rw.indent {
			x += indent
		}
		text(ff, x, y, rw.label)
		text(ff, colonX, y, ":")
		for j, l := range wrapped[i] {
			text(ff, valueX, y, l)
			switch b := lay.last(); {
			case fields[i] != "birth":
				lay.addField(fields[i], b)
			case len(wrapped[i]) == 1:
				// One line: the place, then ", " and the date.
				split := b.Min.X + int(width(ff, p.Card.PlaceOfBirth))
				lay.addField("place_of_birth", image.Rect(b.Min.X, b.Min.Y, split, b.Max.Y))
				lay.addField("date_of_birth", image.Rect(b.Min.X+int(width(ff, p.Card.PlaceOfBirth+", ")), b.Min.Y, b.Max.X, b.Max.Y))
			default:
				lay.addField("place_of_birth", b)
				lay.addField("date_of_birth", b)
			}
			if j < len(wrapped[i])-1 {
				y += lineH
			}
		}
		if i == 2 { // Gol. Darah shares the gender line, right half
			bx := 480.0
			w := text(ff, bx, y, lb.blood)
			text(ff, bx+w+8, y, ": "+p.Card.BloodType)
			lay.addField("blood_type", lay.last())
		}
		y += lineH
	}

	// Photo, issue place and date, signature.
	photo := image.Rect(742, 118, 952, 388)
	drawPortrait(r, img, photo)
	cx := float64(photo.Min.X+photo.Max.X) / 2
	sf := fs.get("sans", 19)
	text(sf, cx-width(sf, p.IssuePlace)/2, 418, p.IssuePlace)
	text(sf, cx-width(sf, p.IssueDate)/2, 444, p.IssueDate)
	drawSignature(r, img, cx-75, 490)
	return img, lay
}

// wrapText splits s into lines no wider than w, breaking at spaces.
func wrapText(face font.Face, s string, w float64) []string {
	words := strings.Fields(s)
	var lines []string
	cur := ""
	for _, wd := range words {
		try := wd
		if cur != "" {
			try = cur + " " + wd
		}
		if cur != "" && float64(font.MeasureString(face, try).Ceil()) > w {
			lines = append(lines, cur)
			cur = wd
			continue
		}
		cur = try
	}
	if cur != "" || len(lines) == 0 {
		lines = append(lines, cur)
	}
	return lines
}

// cardBackground paints the light-blue gradient and the guilloche: two
// families of fine sine waves crossing each other and a rosette, as on the
// security print of a real card.
func cardBackground(r *rand.Rand, img *image.RGBA) {
	c0 := [3]float64{176 + r.Float64()*12, 212 + r.Float64()*10, 232 + r.Float64()*8}
	c1 := [3]float64{222, 238, 244}
	lineC := [3]float64{110, 160, 195}
	ph1, ph2 := r.Float64()*6.28, r.Float64()*6.28
	lam := 70 + r.Float64()*40
	off1 := make([]float64, cardW)
	off2 := make([]float64, cardW)
	for x := range cardW {
		off1[x] = 7 * math.Sin(2*math.Pi*float64(x)/lam+ph1)
		off2[x] = 7 * math.Sin(2*math.Pi*float64(x)/lam+ph2+math.Pi)
	}
	rcx, rcy := 380+r.Float64()*120, 300+r.Float64()*80
	const spacing = 9.0
	lineInk := func(v float64) float64 {
		f := v/spacing - math.Floor(v/spacing)
		d := math.Min(f, 1-f) * spacing
		return math.Max(0, 1-d/0.8)
	}
	for y := range cardH {
		row := img.Pix[y*img.Stride:]
		for x := range cardW {
			t := (float64(x)/cardW + float64(y)/cardH) / 2
			a := 0.35 * math.Max(lineInk(float64(y)+off1[x]), lineInk(float64(y)+off2[x]+spacing/2))
			dx, dy := float64(x)-rcx, float64(y)-rcy
			if rr := dx*dx + dy*dy; rr < 250*250 {
				rad := math.Sqrt(rr)
				th := math.Atan2(dy, dx)
				a = math.Max(a, 0.28*lineInk(rad+6*math.Sin(14*th)))
			}
			for k := range 3 {
				base := c0[k]*(1-t) + c1[k]*t
				row[4*x+k] = uint8(base*(1-a) + lineC[k]*a)
			}
			row[4*x+3] = 255
		}
	}
}

// drawPortrait draws a head-and-shoulders silhouette on a red or blue
// backdrop, the two colours KTP photos use.
func drawPortrait(r *rand.Rand, img *image.RGBA, box image.Rectangle) {
	back := color.RGBA{196, 38, 42, 255}
	if r.IntN(2) == 0 {
		back = color.RGBA{34, 84, 190, 255}
	}
	skins := []color.RGBA{{222, 180, 150, 255}, {196, 150, 112, 255}, {160, 112, 80, 255}, {230, 195, 165, 255}}
	skin := pick(r, skins)
	cloth := pick(r, []color.RGBA{{245, 245, 245, 255}, {30, 30, 40, 255}, {60, 70, 110, 255}})
	hair := color.RGBA{20, 18, 18, 255}
	hijab := r.IntN(3) == 0
	if hijab {
		hair = pick(r, []color.RGBA{{30, 30, 30, 255}, {230, 230, 230, 255}, {90, 60, 100, 255}})
	}
	w, h := float64(box.Dx()), float64(box.Dy())
	cx := w/2 + (r.Float64()-0.5)*8
	in := func(x, y, ex, ey, rx, ry float64) bool {
		dx, dy := (x-ex)/rx, (y-ey)/ry
		return dx*dx+dy*dy <= 1
	}
	for yy := box.Min.Y; yy < box.Max.Y; yy++ {
		for xx := box.Min.X; xx < box.Max.X; xx++ {
			x, y := float64(xx-box.Min.X), float64(yy-box.Min.Y)
			c := back
			c.R = uint8(float64(c.R) * (0.9 + 0.1*y/h))
			c.G = uint8(float64(c.G) * (0.9 + 0.1*y/h))
			c.B = uint8(float64(c.B) * (0.9 + 0.1*y/h))
			switch {
			case in(x, y, cx, h*1.08, w*0.5, h*0.36):
				c = cloth
			case hijab && in(x, y, cx, h*0.42, w*0.27, h*0.34):
				c = hair
			case x > cx-w*0.07 && x < cx+w*0.07 && y > h*0.5 && y < h*0.78:
				c = skin
			}
			if hijab {
				if in(x, y, cx, h*0.43, w*0.17, h*0.2) {
					c = skin
				}
			} else {
				if in(x, y, cx, h*0.33, w*0.23, h*0.2) {
					c = hair
				}
				if in(x, y, cx, h*0.42, w*0.19, h*0.23) && y > h*0.28 {
					c = skin
				}
			}
			// eyes and mouth
			if in(x, y, cx-w*0.07, h*0.4, 4, 3) || in(x, y, cx+w*0.07, h*0.4, 4, 3) || in(x, y, cx, h*0.53, w*0.05, 2) {
				c = color.RGBA{50, 30, 30, 255}
			}
			img.SetRGBA(xx, yy, c)
		}
	}
}

// drawSignature draws a squiggly pen line about 150 px wide.
func drawSignature(r *rand.Rand, img *image.RGBA, x0, y0 float64) {
	a1, a2, a3 := 10+r.Float64()*10, 4+r.Float64()*8, 3+r.Float64()*5
	f1, f2, f3 := 0.05+r.Float64()*0.05, 0.15+r.Float64()*0.1, 0.3+r.Float64()*0.2
	p := r.Float64() * 6
	pen := image.NewUniform(color.RGBA{20, 24, 60, 255})
	for t := 0.0; t < 150; t += 0.4 {
		x := x0 + t + a3*math.Sin(t*f3+p)
		y := y0 + a1*math.Sin(t*f1+p) + a2*math.Sin(t*f2) - t*0.12
		rr := image.Rect(int(x-1), int(y-1), int(x+2), int(y+1))
		draw.Draw(img, rr, pen, image.Point{}, draw.Src)
	}
}
