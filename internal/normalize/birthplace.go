package normalize

import (
	"slices"
	"strings"
	"sync"

	"github.com/ktpocr/ktpocr/internal/region"
)

// A card prints where its holder was born as a place name, most often a
// regency or city without its KABUPATEN or KOTA ("WONOGIRI", "BANDUNG"),
// else a district. It is no closed list: a village, or a town abroad, may
// stand there. So BirthPlace snaps only a read that is close to one of
// those official names and no other, with the region bar; the caller
// snaps only a read it is unsure of, and keeps a sure read as it is.

// minBirthPlace is the bar of a birth-place snap: the city bar.
const minBirthPlace = minCity

// commonBirthPlaces are names cards print that are neither a regency, a
// city nor a district: the capital as a whole, and Surakarta's everyday
// name.
var commonBirthPlaces = []string{"JAKARTA", "SOLO"}

var (
	birthPlacesOnce sync.Once
	birthPlaces     []candidate
	// placeWords are the words of every regency, city and district name:
	// the words a card may split an official glued name into.
	placeWords map[string]bool
	// cityPlaces are the names of birthPlaces that name a regency or a
	// city, and commonBirthPlaces.
	cityPlaces map[string]bool
)

func loadBirthPlaces() {
	birthPlacesOnce.Do(func() {
		seen := map[string]bool{}
		placeWords = map[string]bool{}
		add := func(name string) {
			if !seen[name] {
				seen[name] = true
				birthPlaces = append(birthPlaces, candidate{value: name, keys: [][]rune{key(name)}})
				for _, w := range strings.Fields(name) {
					placeWords[w] = true
				}
			}
		}
		cityPlaces = map[string]bool{}
		for _, n := range commonBirthPlaces {
			add(n)
			cityPlaces[n] = true
		}
		for _, p := range region.Provinces() {
			for _, c := range region.Children(p.Code) {
				city := withoutKind(region.PrintedCity(c))
				add(city)
				cityPlaces[city] = true
				for _, d := range region.Children(c.Code) {
					add(d.Name)
				}
			}
		}
	})
}

// BirthPlace snaps s to the official name of a regency, city or district
// (bare: "BANDUNG", not "KABUPATEN BANDUNG"), or to JAKARTA or SOLO, when
// it is close to that name and to no other. When s has the name's letters
// exactly and only its spaces differ, s's spaces are kept if each of its
// words is a word of some place's name: cards print "PEMATANG SIANTAR"
// for the official PEMATANGSIANTAR, while blur splits "SE M A RANG" and
// "PEKAL ONGAN".
func BirthPlace(s string) Snap {
	loadBirthPlaces()
	c := Clean(s)
	sn := best(c, birthPlaces, minBirthPlace)
	if sn.Value == "" || string(key(c)) != string(key(sn.Value)) {
		return sn
	}
	for _, w := range strings.Fields(c) {
		if len(key(w)) < 3 || !placeWords[w] {
			return sn
		}
	}
	return Snap{Value: strings.Join(strings.Fields(c), " "), Score: sn.Score}
}

// minBirthPlaceCover is how much of a place's name a glare-cut read must
// hold to name it ("BALIKPA" for BALIKPAPAN, "ONOGIRI" for WONOGIRI): with
// over seven thousand names, shorter pieces fit several.
const minBirthPlaceCover = 0.6

// BirthPlaceFragment is BirthPlace for a read a glare spot may have cut:
// when nothing is close to the whole read, the one regency, city or
// district name it is a near-exact piece of (at least minBirthPlaceCover
// of the name, and no other name fitting as well), scored as a region
// fragment. The caller asks it only of a read beside a washed-out run.
func BirthPlaceFragment(s string) Snap {
	if sn := BirthPlace(s); sn.Value != "" {
		return sn
	}
	c := Clean(s)
	if len(key(c)) < 5 {
		return Snap{}
	}
	if i, sc := bestFragment(c, values(birthPlaces), minVocabFragment, minBirthPlaceCover); i >= 0 {
		return Snap{Value: birthPlaces[i].value, Score: nikGuided * sc}
	}
	return Snap{}
}

// BirthPlaceLetterLost returns the place name that s spells with one
// letter missing ("BGOR" for BOGOR), scored as a snap with that letter
// wrong: a letter whose frames the blank won is the recogniser's
// commonest slip on a sharp line, and it is read surely (BGOR at 0.98 on
// a clean card, seed 20261168), where BirthPlace finds BOGOR and the
// district BAGOR as near. The name is the one regency or city that fits,
// else the one district; empty when no name fits, or several.
func BirthPlaceLetterLost(s string) Snap {
	loadBirthPlaces()
	k := key(Clean(s))
	if len(k) < 3 {
		return Snap{}
	}
	var cities, districts []string
	for _, c := range birthPlaces {
		if pk := c.keys[0]; len(pk) == len(k)+1 && oneLost(pk, k) {
			if cityPlaces[c.value] {
				cities = append(cities, c.value)
			} else {
				districts = append(districts, c.value)
			}
		}
	}
	found := ""
	switch {
	case len(cities) == 1:
		found = cities[0]
	case len(cities) == 0 && len(districts) == 1:
		found = districts[0]
	default:
		return Snap{}
	}
	return Snap{Value: found, Score: float64(len(k)) / float64(len(k)+1)}
}

// oneLost reports whether short is long with one rune left out.
func oneLost(long, short []rune) bool {
	i := 0
	for i < len(short) && long[i] == short[i] {
		i++
	}
	return slices.Equal(long[i+1:], short[i:])
}
