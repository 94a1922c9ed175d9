package synth

import (
	"math/rand/v2"

	"github.com/ktpocr/ktpocr/internal/region"
)

// village is a registration place drawn from the Kemendagri table, with the
// names as the card prints them.
type village struct {
	code, district        string // 10 and 6 digits
	village, districtName string
	city, province        string // printed header lines (province without "PROVINSI")
}

// pickVillage draws a village. Central Java and Jakarta are favoured because
// their cards are the specimens the notes describe; every province appears.
func pickVillage(r *rand.Rand) village {
	provs := region.Provinces()
	for {
		var prov region.Region
		switch n := r.IntN(10); {
		case n < 3:
			prov, _ = region.Lookup("33")
		case n < 5:
			prov, _ = region.Lookup("31")
		default:
			prov = pick(r, provs)
		}
		cities := region.Children(prov.Code)
		if len(cities) == 0 {
			continue
		}
		city := pick(r, cities)
		dists := region.Children(city.Code)
		if len(dists) == 0 {
			continue
		}
		dist := pick(r, dists)
		vills := region.Children(dist.Code)
		if len(vills) == 0 {
			continue
		}
		v := pick(r, vills)
		return village{
			code: v.Code, district: dist.Code,
			village: v.Name, districtName: dist.Name,
			city: region.PrintedCity(city), province: region.PrintedProvince(prov),
		}
	}
}
