package ktp

// label is one printed label of the card's left column.
type label struct {
	printed string
	field   string // the raw field it anchors (a ktpocr.FieldNames name, or "birth", "valid_until")
	key     []rune // printed text reduced by key()
	tol     int    // edit distance accepted on key
	multi   bool   // the value may wrap onto the lines below (long names, addresses, regions, occupations)
}

// labels lists the left-column labels in printed order. The order matters:
// a match that breaks it is dropped as a misread.
var labels = []label{
	newLabel("nik", "NIK", false),
	newLabel("full_name", "Nama", true),
	newLabel("birth", "Tempat/Tgl Lahir", true),
	newLabel("gender", "Jenis Kelamin", false),
	newLabel("address", "Alamat", true),
	newLabel("rt_rw", "RT/RW", false),
	newLabel("administrative_village", "Kel/Desa", true),
	newLabel("district", "Kecamatan", true),
	newLabel("religion", "Agama", false),
	newLabel("marital_status", "Status Perkawinan", false),
	newLabel("occupation", "Pekerjaan", true),
	newLabel("nationality", "Kewarganegaraan", false),
	newLabel("valid_until", "Berlaku Hingga", false),
}

// Keys of labels that are not in the left column.
var (
	keyGolDarah = mustKey("Gol. Darah")
	keyGol      = mustKey("Gol")
	keyDarah    = mustKey("Darah")
	keyProvinsi = mustKey("Provinsi")
)

func newLabel(field, printed string, multi bool) label {
	k := mustKey(printed)
	return label{printed: printed, field: field, key: k, tol: tolerance(len(k)), multi: multi}
}

func mustKey(s string) []rune {
	k, _ := key([]rune(s))
	return k
}

// tolerance is the edit distance a label of n letters may have and still
// count: one for short labels (where two would let "NAMA" match "AGAMA"),
// about a quarter of the letters for long ones.
func tolerance(n int) int {
	if n <= 6 {
		return 1
	}
	return n / 4
}

// prefixMatch finds the prefix of rs that best matches the label key k
// within tol edits. It returns the distance and the rune index in rs just
// after the matched prefix; ok is false when no prefix is close enough.
// Prefixes are tried in letters, so "Nama:BUDI" and "Nama BUDI" both match
// "nama" and leave the value.
func prefixMatch(rs []rune, k []rune, tol int) (dist, end int, ok bool) {
	kk, pos := key(rs)
	best, bestLen := tol+1, -1
	for n := max(1, len(k)-tol); n <= min(len(kk), len(k)+tol); n++ {
		d := levenshtein(k, kk[:n])
		// On ties prefer the length closest to the label's: a value's
		// first letter must not be eaten by the label.
		if d < best || (d == best && abs(n-len(k)) < abs(bestLen-len(k))) {
			best, bestLen = d, n
		}
	}
	if bestLen < 0 || best > tol {
		return 0, 0, false
	}
	return best, pos[bestLen-1] + 1, true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
