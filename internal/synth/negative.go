package synth

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
	"math/rand/v2"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
)

var words = strings.Fields(`dengan hormat bersama surat ini kami sampaikan bahwa yang bertanda tangan
di bawah ini menerangkan sebenarnya telah melaksanakan kegiatan sesuai ketentuan berlaku demikian
keterangan dibuat untuk dipergunakan sebagaimana mestinya atas perhatian kerja sama diucapkan terima
kasih rapat laporan anggaran tahun kantor desa kepala bagian umum nomor perihal lampiran`)

// renderNegative draws a document that is not a KTP.
func renderNegative(r *rand.Rand, fs faces, kind Kind) *image.RGBA {
	switch kind {
	case Letter:
		return renderLetter(r, fs)
	case NPWP:
		return renderNPWP(r, fs)
	case SIM:
		return renderSIM(r, fs)
	default:
		return renderReceipt(r, fs)
	}
}

func drawText(img *image.RGBA, face font.Face, c color.Color, x, y float64, s string) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: face, Dot: fixed.P(int(x), int(y))}
	d.DrawString(s)
}

func fill(img *image.RGBA, rect image.Rectangle, c color.Color) {
	draw.Draw(img, rect, image.NewUniform(c), image.Point{}, draw.Src)
}

func sentence(r *rand.Rand, n int) string {
	s := make([]string, n)
	for i := range s {
		s[i] = pick(r, words)
	}
	return strings.Join(s, " ")
}

func renderLetter(r *rand.Rand, fs faces) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 707, 1000))
	fill(img, img.Bounds(), color.RGBA{246, 245, 240, 255})
	ink := color.RGBA{30, 30, 30, 255}
	drawText(img, fs.get("sansBold", 24), ink, 200, 90, "SURAT KETERANGAN")
	drawText(img, fs.get("sans", 16), ink, 250, 118, fmt.Sprintf("Nomor: %03d/%02d/%d", r.IntN(999), 1+r.IntN(12), 2015+r.IntN(10)))
	f := fs.get("sans", 16)
	y := 170.0
	for y < 860 {
		for range 3 + r.IntN(5) {
			drawText(img, f, ink, 70, y, sentence(r, 8+r.IntN(3)))
			y += 24
		}
		y += 18
	}
	drawSignature(r, img, 480, 920)
	return img
}

func renderNPWP(r *rand.Rand, fs faces) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, cardW, cardH))
	for y := range cardH {
		t := float64(y) / cardH
		fill(img, image.Rect(0, y, cardW, y+1), color.RGBA{uint8(238 - 20*t), uint8(232 - 30*t), uint8(200 - 60*t), 255})
	}
	fill(img, image.Rect(0, 0, cardW, 130), color.RGBA{20, 50, 110, 255})
	white := color.RGBA{250, 250, 250, 255}
	drawText(img, fs.get("sansBold", 26), white, 150, 55, "KEMENTERIAN KEUANGAN REPUBLIK INDONESIA")
	drawText(img, fs.get("sansBold", 24), white, 150, 100, "DIREKTORAT JENDERAL PAJAK")
	for i := range 3 { // the logo: concentric rings
		rad := 45 - 12*i
		for y := -rad; y <= rad; y++ {
			for x := -rad; x <= rad; x++ {
				if d := x*x + y*y; d <= rad*rad && d >= (rad-5)*(rad-5) {
					img.Set(75+x, 65+y, color.RGBA{240, 190, 40, 255})
				}
			}
		}
	}
	ink := color.RGBA{20, 20, 40, 255}
	drawText(img, fs.get("sansBold", 34), ink, 60, 220, fmt.Sprintf("NPWP : %02d.%03d.%03d.%d-%03d.000", r.IntN(99), r.IntN(999), r.IntN(999), r.IntN(9), r.IntN(999)))
	f := fs.get("sans", 26)
	drawText(img, f, ink, 60, 290, pick(r, givenMale)+" "+pick(r, family))
	drawText(img, f, ink, 60, 340, newAddress(r))
	drawText(img, f, ink, 60, 390, "KPP PRATAMA "+pick(r, birthPlaces))
	drawText(img, fs.get("sans", 20), ink, 60, 560, fmt.Sprintf("Tanggal Terdaftar : %02d/%02d/%d", 1+r.IntN(28), 1+r.IntN(12), 2000+r.IntN(24)))
	return img
}

func renderSIM(r *rand.Rand, fs faces) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, cardW, cardH))
	for y := range cardH {
		for x := range cardW {
			t := (float64(x)/cardW + float64(y)/cardH) / 2
			w := 0.5 + 0.5*math.Sin(float64(x)*0.05+6*math.Sin(float64(y)*0.02))
			img.SetRGBA(x, y, color.RGBA{uint8(245 - 10*t), uint8(205 + 25*t - 8*w), uint8(215 + 15*t - 8*w), 255})
		}
	}
	ink := color.RGBA{40, 20, 30, 255}
	drawText(img, fs.get("sansBold", 34), color.RGBA{150, 30, 40, 255}, 250, 60, "SURAT IZIN MENGEMUDI")
	drawText(img, fs.get("sansBold", 24), ink, 400, 95, "INDONESIA")
	drawText(img, fs.get("sansBold", 90), color.RGBA{150, 30, 40, 255}, 860, 160, pick(r, []string{"A", "C", "B1"}))
	drawPortrait(r, img, image.Rect(40, 140, 240, 400))
	f := fs.get("sans", 21)
	fields := []string{
		"1. " + pick(r, givenFemale) + " " + pick(r, family),
		"2. " + pick(r, birthPlaces) + ", " + fmt.Sprintf("%02d-%02d-%d", 1+r.IntN(28), 1+r.IntN(12), 1960+r.IntN(45)),
		"3. " + pick(r, []string{"O", "A", "B", "AB"}) + " - " + pick(r, []string{"PRIA", "WANITA"}),
		"4. " + newAddress(r),
		"5. " + pick(r, occupations),
		"6. " + pick(r, birthPlaces),
		fmt.Sprintf("%04d-%04d-%06d", r.IntN(9999), r.IntN(9999), r.IntN(999999)),
	}
	y := 170.0
	for _, s := range fields {
		drawText(img, f, ink, 280, y, s)
		y += 40
	}
	drawSignature(r, img, 60, 470)
	return img
}

func renderReceipt(r *rand.Rand, fs faces) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, 420, 1000))
	fill(img, img.Bounds(), color.RGBA{248, 247, 242, 255})
	ink := color.RGBA{60, 60, 70, 255}
	f := fs.get("mono", 18)
	lines := []string{
		"      TOKO " + pick(r, []string{"MAKMUR JAYA", "SEJAHTERA", "BERKAH ABADI"}),
		"  " + newAddress(r),
		fmt.Sprintf("  %02d/%02d/%d  %02d:%02d", 1+r.IntN(28), 1+r.IntN(12), 2018+r.IntN(7), r.IntN(24), r.IntN(60)),
		"--------------------------------",
	}
	items := []string{"NASI GORENG", "ES TEH MANIS", "KOPI SUSU", "AIR MINERAL", "ROTI BAKAR", "MIE AYAM", "GULA 1KG", "SABUN MANDI"}
	total := 0
	for range 4 + r.IntN(6) {
		q, p := 1+r.IntN(3), 2000+500*r.IntN(50)
		total += q * p
		lines = append(lines, fmt.Sprintf("%-14s%2dx%7d", pick(r, items), q, p))
	}
	lines = append(lines, "--------------------------------",
		fmt.Sprintf("TOTAL            %10d", total),
		fmt.Sprintf("TUNAI            %10d", total+1000*r.IntN(50)),
		"", "   TERIMA KASIH ATAS KUNJUNGAN")
	y := 50.0
	for _, s := range lines {
		drawText(img, f, ink, 16, y, s)
		y += 30
	}
	return img
}

// landscape paints a plain photo with no document: sky, hills, a sun and a
// few shapes.
func landscape(r *rand.Rand, c *canvas) {
	sky0 := [3]float64{90 + r.Float64()*60, 140 + r.Float64()*60, 200 + r.Float64()*50}
	sky1 := [3]float64{220, 225, 235}
	gnd := [3]float64{50 + r.Float64()*60, 100 + r.Float64()*60, 30 + r.Float64()*40}
	hz := 0.45 + r.Float64()*0.2
	a1, f1, p1 := 0.05+r.Float64()*0.08, 2+r.Float64()*4, r.Float64()*6
	sx, sy := r.Float64(), r.Float64()*hz*0.7
	n := valueNoise(r, 20, 15)
	for y := range c.h {
		fy := float64(y) / float64(c.h)
		for x := range c.w {
			fx := float64(x) / float64(c.w)
			ridge := hz + a1*math.Sin(fx*f1+p1) + 0.02*math.Sin(fx*23)
			var col [3]float64
			if fy < ridge {
				t := fy / ridge
				for k := range 3 {
					col[k] = sky0[k]*(1-t) + sky1[k]*t
				}
				if d := math.Hypot((fx-sx)*float64(c.w), (fy-sy)*float64(c.h)); d < 50 {
					col = [3]float64{255, 245, 200}
				}
			} else {
				k := 0.7 + 0.5*n(fx, fy)
				for j := range 3 {
					col[j] = gnd[j] * k
				}
			}
			i := 3 * (y*c.w + x)
			c.p[i], c.p[i+1], c.p[i+2] = float32(col[0]), float32(col[1]), float32(col[2])
		}
	}
	for range r.IntN(4) {
		col := [3]float32{float32(r.IntN(256)), float32(r.IntN(256)), float32(r.IntN(256))}
		fillEllipse(c, r.Float64()*float64(c.w), (hz+0.1+r.Float64()*0.3)*float64(c.h), 20+r.Float64()*80, 20+r.Float64()*60, col)
	}
}
