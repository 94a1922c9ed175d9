package normalize

import (
	"strings"

	"github.com/ktpocr/ktpocr/internal/region"
)

// A glare spot or heavy blur erases part of a printed region name and the
// recogniser reads the rest: "TIMUR" for PRAYA TIMUR, "KEP RIBU UTARA" for
// KEPULAUAN SERIBU UTARA. Matched whole, such a fragment is too far from
// every name to snap. But the NIK names the district the card was issued
// in, and a fragment that fits the NIK's region is that region; the
// villages of a district are few enough to tell apart by a fragment.

// Fragment matching: letters the read lacks at either end of the name cost
// nothing, letters it lacks inside cost erasedCost each, other edits as in
// distance. The fragment must hold at least minFragment letters and cover
// at least minCover of the name's.
const (
	erasedCost  = 0.25
	minFragment = 3
	minCover    = 0.3
	// minFragmentScore is 1 less the cost per letter read: the bar of
	// region snaps (minDistrict).
	minFragmentScore = 0.75
	// minVocabFragment is the fragment bar of the closed vocabularies.
	minVocabFragment = 0.9
	// nikGuided scales the score of a level resolved by a fragment: the
	// read names it only in part.
	nikGuided = 0.8
)

// fragmentScore is how well read fits name as a piece of it, 0..1; 0 when
// read holds fewer than cover of name's letters.
func fragmentScore(read, name []rune, cover float64) float64 {
	if len(read) < minFragment || float64(len(read)) < cover*float64(len(name)) {
		return 0
	}
	// d[i][j]: cost of read[:i] against name[:j], name letters before the
	// fragment free (row 0 is all zeros).
	prev, cur := make([]float64, len(name)+1), make([]float64, len(name)+1)
	for i := 1; i <= len(read); i++ {
		cur[0] = float64(i)
		for j := 1; j <= len(name); j++ {
			cur[j] = min(prev[j-1]+subCost(read[i-1], name[j-1]), prev[j]+1, cur[j-1]+erasedCost)
		}
		prev, cur = cur, prev
	}
	best := prev[len(name)]
	for _, c := range prev { // name letters after the fragment are free
		best = min(best, c)
	}
	return max(0, 1-best/float64(len(read)))
}

// bestFragment returns the index of the candidate read fits best as a
// fragment covering at least cover of it, when it scores minScore and
// beats every other by the margin of best; -1 otherwise.
func bestFragment(read string, names []string, minScore, cover float64) (int, float64) {
	k := key(read)
	bi, bs, second := -1, 0.0, 0.0
	for i, n := range names {
		s := fragmentScore(k, key(n), cover)
		if s > bs {
			bi, second, bs = i, bs, s
		} else if s > second {
			second = s
		}
	}
	if bi < 0 || bs < minScore || bs-second < margin(len(k)) {
		return -1, 0
	}
	return bi, bs
}

// bestOrFragment is best, and when nothing is close enough, the one entry
// s fits as a fragment (a glare spot took the rest: "PEREM", "HIDUP"),
// scored nikGuided times the fragment's score. For the short closed
// vocabularies, whose entries share few words. Unlike a region, whose
// row the NIK vouches for, a value here may be another row's: the
// fragment must be four letters or more and read almost exactly
// (minVocabFragment), or "HINDU" would be a CERAI HIDUP.
func bestOrFragment(s string, cs []candidate, minScore, cover float64) Snap {
	if sn := best(s, cs, minScore); sn.Value != "" || len(key(s)) < 4 {
		return sn
	}
	if i, sc := bestFragment(s, values(cs), minVocabFragment, cover); i >= 0 {
		return Snap{Value: cs[i].value, Score: nikGuided * sc}
	}
	return Snap{}
}

// withoutKind drops the KABUPATEN or KOTA a city name starts with: every
// regency shares the word, so a fragment of it names none.
func withoutKind(s string) string {
	for _, p := range []string{"KABUPATEN ", "KOTA "} {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest
		}
	}
	return s
}

// guideByNIK resolves, from fragments, the levels of out that did not snap:
// the province, city and district against the ones nik's first digits
// encode (each only under a parent that agrees with it), and the village
// among the villages of the district, snapped or the NIK's. A wrong NIK
// names another region, which a fragment of the printed name does not fit.
func guideByNIK(out *Regions, raw [4]string, nik string) {
	if len(nik) != 16 {
		return
	}
	levels := []struct {
		code    *string
		printed *string
		score   *float64
		n       int
		name    func(region.Region) string
	}{
		{&out.Codes.Province, &out.State, &out.Scores[0], 2, region.PrintedProvince},
		{&out.Codes.City, &out.City, &out.Scores[1], 4, region.PrintedCity},
		{&out.Codes.District, &out.District, &out.Scores[2], 6, func(r region.Region) string { return r.Name }},
	}
	parent := ""
	for i, l := range levels {
		code := nik[:l.n]
		if *l.code == "" && (parent == "" || strings.HasPrefix(code, parent)) {
			if r, ok := region.Lookup(code); ok && raw[i] != "" {
				name := l.name(r)
				read := raw[i]
				if i == 1 {
					name, read = withoutKind(name), withoutKind(cleanCity(read))
				}
				if _, s := bestFragment(read, []string{name}, minFragmentScore, minCover); s > 0 {
					*l.code, *l.printed, *l.score = code, l.name(r), nikGuided*s
				}
			}
		}
		parent = *l.code
	}
	district := out.Codes.District
	if district == "" {
		if _, ok := region.Lookup(nik[:6]); ok && (parent == "" || strings.HasPrefix(nik[:6], parent)) {
			district = nik[:6]
		}
	}
	if out.Codes.Village != "" || district == "" || raw[3] == "" {
		return
	}
	villages := region.Children(district)
	names := make([]string, len(villages))
	for i, v := range villages {
		names[i] = v.Name
	}
	if district != out.Codes.District {
		// The district's name was not read: the village is searched among
		// the NIK's district's villages, matched whole as usual.
		l := children(district, addPlain)
		if v, code, sc, ok := snapRegion(Clean(raw[3]), l, minVillage); ok {
			out.Village, out.Codes.Village, out.Scores[3] = v, code, nikGuided*sc
			return
		}
	}
	if i, s := bestFragment(raw[3], names, minFragmentScore, minCover); i >= 0 {
		out.Village, out.Codes.Village, out.Scores[3] = villages[i].Name, villages[i].Code, nikGuided*s
	}
}
