package normalize_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ktpocr/ktpocr/internal/normalize"
	"github.com/ktpocr/ktpocr/internal/region"
)

// noisy applies n OCR-like errors to s: a confusion (I→l, O→0, ...), a
// dropped character, a random letter or a dropped space.
func noisy(r *rand.Rand, s string, n int) string {
	conf := map[byte]string{'I': "l1|", 'O': "0D", 'S': "5", 'B': "8", 'G': "6", 'Z': "2", 'N': "M", 'M': "NW", 'E': "F"}
	b := []byte(s)
	for range n {
		if len(b) < 2 {
			break
		}
		i := r.IntN(len(b))
		switch r.IntN(4) {
		case 0:
			if c, ok := conf[b[i]]; ok {
				b[i] = c[r.IntN(len(c))]
			}
		case 1:
			b = append(b[:i], b[i+1:]...)
		case 2:
			b[i] = byte('A' + r.IntN(26))
		case 3:
			if j := strings.IndexByte(string(b), ' '); j >= 0 {
				b = append(b[:j], b[j+1:]...)
			}
		}
	}
	return string(b)
}

type tally struct{ right, miss, wrong int }

func (t tally) String() string {
	n := float64(t.right + t.miss + t.wrong)
	return fmt.Sprintf("right %.1f%%, miss %.1f%%, wrong %.1f%%",
		100*float64(t.right)/n, 100*float64(t.miss)/n, 100*float64(t.wrong)/n)
}

// TestNoiseRates measures what ResolveRegions and Occupation do with
// OCR-like noise, and holds the design rule: a wrong snap is rarer than a
// miss. Run with -v to see the rates.
func TestNoiseRates(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	var districts, villages, occupations [4]tally
	provinces := region.Provinces()
	for range 300 {
		p := provinces[r.IntN(len(provinces))]
		cs := region.Children(p.Code)
		c := cs[r.IntN(len(cs))]
		ds := region.Children(c.Code)
		d := ds[r.IntN(len(ds))]
		vs := region.Children(d.Code)
		v := vs[r.IntN(len(vs))]
		for n := range 4 {
			got := normalize.ResolveRegions(region.PrintedProvince(p), region.PrintedCity(c), noisy(r, d.Name, n), noisy(r, v.Name, n))
			count(&districts[n], got.Codes.District, d.Code)
			if got.Codes.District == d.Code {
				count(&villages[n], got.Codes.Village, v.Code)
			}
		}
	}
	// Impostors: a name that is not among the candidates (a district of
	// another city, a village of another district, a job off the list) must
	// stay unsnapped; any snap is wrong.
	var impostors [3]tally
	randVillage := func() region.Region {
		for {
			p := provinces[r.IntN(len(provinces))]
			cs := region.Children(p.Code)
			ds := region.Children(cs[r.IntN(len(cs))].Code)
			vs := region.Children(ds[r.IntN(len(ds))].Code)
			if len(vs) > 0 {
				return vs[r.IntN(len(vs))]
			}
		}
	}
	for range 600 {
		home := randVillage()
		other := randVillage()
		d, _ := region.Lookup(home.Code[:6])
		c, _ := region.Lookup(home.Code[:4])
		p, _ := region.Lookup(home.Code[:2])
		od, _ := region.Lookup(other.Code[:6])
		if !hasName(region.Children(c.Code), od.Name) {
			got := normalize.ResolveRegions(region.PrintedProvince(p), region.PrintedCity(c), od.Name, "")
			count(&impostors[0], got.Codes.District, "")
		}
		if !hasName(region.Children(d.Code), other.Name) {
			got := normalize.ResolveRegions(region.PrintedProvince(p), region.PrintedCity(c), d.Name, other.Name)
			count(&impostors[1], got.Codes.Village, "")
		}
		if got := normalize.Occupation(other.Name); got.Value != "" {
			impostors[2].wrong++
		} else {
			impostors[2].miss++
		}
	}
	for i, tl := range impostors {
		n := tl.wrong + tl.right + tl.miss
		if tl.wrong*100 > n*2 {
			t.Errorf("impostor kind %d snapped %d of %d times, want at most 2%%", i, tl.wrong, n)
		}
	}
	for _, job := range []string{
		"PROGRAMMER", "DESAINER", "SATPAM", "OJEK", "KURIR", "BURUH", "KARYAWAN", "PEGAWAI",
		"TUKANG", "PENJAHIT", "PETANI", "NELAYAN", "PELAJAR", "MAHASISWA", "IBU RUMAH TANGGA",
		"PEGAWAI SWASTA", "TNI", "POLRI", "ANGGOTA DPR", "GURU HONORER", "BIDAN DESA",
	} {
		if got := normalize.Occupation(job); got.Value != "" {
			t.Logf("Occupation(%q) = %q (%.2f)", job, got.Value, got.Score)
		}
	}
	t.Logf("impostors snapped: district %d/%d, village %d/%d, village name as occupation %d/%d",
		impostors[0].wrong, impostors[0].wrong+impostors[0].right,
		impostors[1].wrong, impostors[1].wrong+impostors[1].right,
		impostors[2].wrong, impostors[2].wrong+impostors[2].miss)

	occ := normalize.Occupations()
	for range 300 {
		o := occ[r.IntN(len(occ))]
		for n := range 4 {
			got := normalize.Occupation(noisy(r, o, n))
			count(&occupations[n], got.Value, o)
		}
	}
	for n := range 4 {
		t.Logf("%d errors: district %v; village %v; occupation %v", n, districts[n], villages[n], occupations[n])
		for name, tl := range map[string]tally{"district": districts[n], "village": villages[n], "occupation": occupations[n]} {
			if n == 0 && (tl.miss > 0 || tl.wrong > 0) {
				t.Errorf("%s with no noise: %v", name, tl)
			}
			if tl.wrong > tl.miss && tl.wrong > 0 {
				t.Errorf("%s with %d errors: wrong snaps outnumber misses: %v", name, n, tl)
			}
		}
	}
}

func count(t *tally, got, want string) {
	switch got {
	case want:
		t.right++
	case "":
		t.miss++
	default:
		t.wrong++
	}
}

func hasName(rs []region.Region, name string) bool {
	for _, r := range rs {
		if r.Name == name {
			return true
		}
	}
	return false
}
