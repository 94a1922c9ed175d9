package normalize

import (
	"strings"
	"sync"

	"github.com/ktpocr/ktpocr"
	"github.com/ktpocr/ktpocr/internal/region"
)

// Regions is the outcome of ResolveRegions. State, City, District and
// Village hold the official printed spelling of each level that snapped,
// or the text as read (upper-cased, cleaned) when it did not. Codes holds
// the Kemendagri code of each snapped level, "" otherwise. Scores holds the
// match score of each level in that order (province, city, district,
// village), 0 for a level that kept its reading.
type Regions struct {
	State, City, District, Village string
	Codes                          ktpocr.RegionCodes
	Scores                         [4]float64
}

// Minimum scores to snap a region name. Region names are many and often
// alike (KABUPATEN BANDUNG, KOTA BANDUNG, KABUPATEN BANDUNG BARAT), so the
// bar is above the short vocabularies', and the margin rule of best applies
// too. District and village bars were set with TestNoiseRates: at 0.75 a
// name with two OCR errors snaps 91-95% of the time and wrongly about never,
// while a name that is not among the candidates snaps under 0.5% of the
// time; at 0.6 impostors snapped 1-3%.
const (
	minProvince = 0.75
	minCity     = 0.8
	// A city outside the snapped province is a surprise: ask for more.
	minCityElsewhere = 0.9
	minDistrict      = 0.75
	minVillage       = 0.75
)

// regionList is a level's candidates for best: each candidate's value is
// the region code (unique, so that two regions of one name are seen as two
// by the margin rule), and printed maps the code to the name to return.
type regionList struct {
	cands   []candidate
	printed map[string]string
}

func (l *regionList) add(code, printed string, spellings ...string) {
	c := candidate{value: code, keys: [][]rune{key(printed)}}
	for _, sp := range spellings {
		if sp != printed {
			c.keys = append(c.keys, key(sp))
		}
	}
	l.cands = append(l.cands, c)
	l.printed[code] = printed
}

func newRegionList() *regionList { return &regionList{printed: map[string]string{}} }

func addProvince(l *regionList, r region.Region) {
	printed := region.PrintedProvince(r)
	var alt []string
	switch r.Code {
	case "34":
		alt = append(alt, "DI YOGYAKARTA")
	case "11":
		// Cards issued before the 2009 renaming print the old name.
		alt = append(alt, "NANGGROE ACEH DARUSSALAM")
	}
	l.add(r.Code, printed, append(alt, r.Name)...)
}

func addCity(l *regionList, r region.Region) {
	printed := region.PrintedCity(r)
	if printed == r.Name {
		l.add(r.Code, printed)
		return
	}
	// KOTA ADMINISTRASI JAKARTA TIMUR, and the KOTA JAKARTA TIMUR some
	// readers expect.
	l.add(r.Code, printed, r.Name, "KOTA "+printed)
}

func addPlain(l *regionList, r region.Region) { l.add(r.Code, r.Name) }

// The levels searched with no parent (all provinces, all cities, all
// districts) and the children of each parent are built once, on first use:
// building a list costs more than matching against it.
var (
	regionCacheOnce                       sync.Once
	allProvinces, allCities, allDistricts *regionList
	childCache                            sync.Map // parent code → *regionList
)

func loadRegionCache() {
	regionCacheOnce.Do(func() {
		allProvinces, allCities, allDistricts = newRegionList(), newRegionList(), newRegionList()
		for _, p := range region.Provinces() {
			addProvince(allProvinces, p)
			for _, c := range region.Children(p.Code) {
				addCity(allCities, c)
				for _, d := range region.Children(c.Code) {
					addPlain(allDistricts, d)
				}
			}
		}
	})
}

func children(code string, add func(*regionList, region.Region)) *regionList {
	if v, ok := childCache.Load(code); ok {
		return v.(*regionList)
	}
	l := newRegionList()
	for _, r := range region.Children(code) {
		add(l, r)
	}
	childCache.Store(code, l)
	return l
}

// snapRegion returns the printed name and code of the best candidate of
// l, or ok false.
func snapRegion(s string, l *regionList, minScore float64) (printed, code string, score float64, ok bool) {
	sn := best(s, l.cands, minScore)
	if sn.Value == "" {
		return "", "", 0, false
	}
	return l.printed[sn.Value], sn.Value, sn.Score, true
}

// cleanProvince drops the "PROVINSI" a caller may pass along with the name.
func cleanProvince(s string) string {
	s = Clean(s)
	if f := strings.Fields(s); len(f) > 1 && Similarity(f[0], "PROVINSI") >= 0.75 {
		s = strings.Join(f[1:], " ")
	}
	return s
}

// cleanCity expands the KAB. abbreviation to the printed KABUPATEN.
func cleanCity(s string) string {
	s = Clean(s)
	for _, p := range []string{"KAB. ", "KAB ", "KAB."} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return "KABUPATEN " + strings.TrimSpace(rest)
		}
	}
	return s
}

// ResolveRegions snaps the printed region names hierarchically: the
// province among all provinces, the city among that province's cities
// (printed form, e.g. "JAKARTA TIMUR"), the district among that city's
// districts and the village among that district's villages. When a parent
// did not snap, a city or district is searched among all cities or
// districts instead (a village only under its district: tens of thousands
// of village names are too alike to search blind); a city not found in its
// province is searched among all cities with a stricter threshold. A level
// that scores too low stays as read, with code "". Codes are not made to
// agree with each other: they say what the card prints.
func ResolveRegions(province, city, district, village string) Regions {
	return ResolveRegionsNIK(province, city, district, village, "")
}

// ResolveRegionsNIK is ResolveRegions helped by the NIK the card was read
// with (16 digits, or "" for none): a level that does not snap is taken
// from a fragment of its name when the fragment fits the region the NIK
// encodes, and the village is searched among the villages of the NIK's
// district when the district's name was not read (guideByNIK). Those
// levels score at most 0.8.
func ResolveRegionsNIK(province, city, district, village, nik string) Regions {
	loadRegionCache()
	out := Regions{
		State:    cleanProvince(province),
		City:     cleanCity(city),
		District: Clean(district),
		Village:  Clean(village),
	}
	if v, code, sc, ok := snapRegion(out.State, allProvinces, minProvince); ok {
		out.State, out.Codes.Province, out.Scores[0] = v, code, sc
	}

	cities := allCities
	if out.Codes.Province != "" {
		cities = children(out.Codes.Province, addCity)
	}
	v, code, sc, ok := snapRegion(out.City, cities, minCity)
	if !ok && out.Codes.Province != "" {
		// A card may print a city of another province than its header says
		// (synthetic test cards do); the city is still spelled officially,
		// and the NIK check reports the disagreement.
		v, code, sc, ok = snapRegion(out.City, allCities, minCityElsewhere)
	}
	if ok {
		out.City, out.Codes.City, out.Scores[1] = v, code, sc
	}

	districts := allDistricts
	if out.Codes.City != "" {
		districts = children(out.Codes.City, addPlain)
	}
	if v, code, sc, ok := snapRegion(out.District, districts, minDistrict); ok {
		out.District, out.Codes.District, out.Scores[2] = v, code, sc
	}

	if out.Codes.District != "" {
		villages := children(out.Codes.District, addPlain)
		if v, code, sc, ok := snapRegion(out.Village, villages, minVillage); ok {
			out.Village, out.Codes.Village, out.Scores[3] = v, code, sc
		}
	}
	if isDigits(nik, 16) {
		guideByNIK(&out, [4]string{out.State, out.City, out.District, out.Village}, nik)
	}
	return out
}
