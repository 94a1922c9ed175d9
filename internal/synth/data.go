package synth

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/ktpocr/ktpocr"
)

// Person is what a rendered KTP says: the 16 API fields plus the lines the
// API does not return (validity, place and date of issue).
type Person struct {
	Card       ktpocr.Card
	ValidUntil string // "SEUMUR HIDUP" or DD-MM-YYYY
	IssuePlace string // printed under the photo
	IssueDate  string // DD-MM-YYYY
	// Village etc. codes, kept so tests can check the NIK against them.
	VillageCode string
}

// Name lists are common Indonesian given and family names. Several are long
// on purpose: full names up to ~30 characters must wrap on the card.
var (
	givenMale = []string{
		"BUDI", "AHMAD", "MUHAMMAD", "AGUS", "JOKO", "BAMBANG", "HENDRA", "RIZKY", "DWI", "EKO",
		"SLAMET", "WAHYU", "ANDI", "FAJAR", "IMAM", "YOHANES", "I GEDE", "I MADE", "KOMANG",
		"SUGENG", "TRI", "ARIF", "DANIEL", "STEFANUS", "NUR", "HADI", "TEGUH", "BAYU", "GALIH",
		"MUHAMMAD RIZKI", "ABDUL", "SITOMPUL", "ADITYA", "KURNIAWAN", "SUTRISNO", "DEDI",
	}
	givenFemale = []string{
		"SITI", "SRI", "DEWI", "NUR", "RINA", "ANI", "WULAN", "FITRI", "AYU", "INDAH", "PUTRI",
		"NI LUH", "NI MADE", "KADEK", "MARIA", "YULIANA", "LESTARI", "RATNA", "ENDANG", "TUTIK",
		"DWI", "TRI", "NURUL", "ANISA", "MELATI", "KARTIKA", "SEPTI", "CHRISTINA", "MARGARETHA",
		"SRI WAHYUNI", "RAHAYU", "DIAN", "YUNI", "EKA",
	}
	family = []string{
		"SANTOSO", "WIBOWO", "SAPUTRA", "HIDAYAT", "NUGROHO", "SETIAWAN", "PRASETYO", "KURNIAWAN",
		"SUSANTO", "HARAHAP", "SIREGAR", "NASUTION", "SIMANJUNTAK", "PANJAITAN", "SITUMORANG",
		"WIJAYA", "GUNAWAN", "SUHARTONO", "PURNOMO", "HANDAYANI", "LESTARI", "RAHMAWATI",
		"PERMATASARI", "KUSUMAWARDHANI", "SULISTYOWATI", "MANURUNG", "TAMBUNAN", "PANGARIBUAN",
		"RAMADHAN", "FIRMANSYAH", "HAKIM", "MAULANA", "SUPRIYADI", "WULANDARI", "PRATAMA",
		"SETYANINGSIH", "KARTIKASARI", "PAKPAHAN", "LUMBANTOBING", "WIRATAMA",
	}
	birthPlaces = []string{
		"WONOGIRI", "SURAKARTA", "JAKARTA", "BANDUNG", "SEMARANG", "SURABAYA", "YOGYAKARTA",
		"MEDAN", "MAKASSAR", "PALEMBANG", "DENPASAR", "MALANG", "BOGOR", "KLATEN", "SUKOHARJO",
		"BOYOLALI", "KARANGANYAR", "PEKALONGAN", "TASIKMALAYA", "PONTIANAK", "BALIKPAPAN",
		"PEMATANG SIANTAR", "TANJUNG PINANG", "BANDAR LAMPUNG", "KUDUS", "GUNUNGKIDUL",
	}
	streetNames = []string{
		"MERDEKA", "SUDIRMAN", "DIPONEGORO", "GATOT SUBROTO", "AHMAD YANI", "PAHLAWAN", "MAWAR",
		"MELATI", "KENANGA", "CEMPAKA PUTIH", "RAYA BOGOR", "KALIMALANG", "PONDOK BAMBU ASRI",
		"SWADAYA", "SAWO", "NANGKA", "BUNGA RAMPAI", "KH. HASYIM ASYARI", "PEMUDA", "SISINGAMANGARAJA",
		"TENTARA PELAJAR", "KARYA BAKTI", "BHAYANGKARA", "GAJAH MADA", "DR. SOETOMO",
	}
	hamlets = []string{"KRAJAN", "NGLOROG", "SENDANG", "TEGALREJO", "SIDOMULYO", "KARANGANYAR", "GUNUNGSARI", "NGEMPLAK"}
	// Religions and marital statuses are the closed vocabularies of the card.
	religions = []string{"ISLAM", "ISLAM", "ISLAM", "ISLAM", "ISLAM", "KRISTEN", "KATHOLIK", "HINDU", "BUDHA", "KONGHUCU"}
	maritals  = []string{"BELUM KAWIN", "KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI"}
	// Occupations from the Dukcapil list as printed.
	occupations = []string{
		"PELAJAR/MAHASISWA", "KARYAWAN SWASTA", "WIRASWASTA", "MENGURUS RUMAH TANGGA",
		"PEGAWAI NEGERI SIPIL (PNS)", "PETANI/PEKEBUN", "BELUM/TIDAK BEKERJA", "BURUH HARIAN LEPAS",
		"PEDAGANG", "GURU", "KARYAWAN BUMN", "PENSIUNAN", "NELAYAN/PERIKANAN", "SOPIR",
		"TENTARA NASIONAL INDONESIA (TNI)", "KEPOLISIAN RI (POLRI)", "PERANGKAT DESA", "DOKTER",
		"BURUH TANI/PERKEBUNAN", "TUKANG BATU", "PERDAGANGAN", "MEKANIK",
	}
	bloodTypes = []string{"-", "-", "-", "O", "A", "B", "AB", "O+", "A+", "B-", "AB+", "O-"}
)

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// newPerson draws a consistent identity registered in a random village: the
// NIK carries that village's district code, the birth date, +40 on the day
// for women, and a serial.
func newPerson(r *rand.Rand) Person {
	v := pickVillage(r)
	female := r.IntN(2) == 0
	var name string
	if female {
		name = pick(r, givenFemale)
	} else {
		name = pick(r, givenMale)
	}
	name = strings.ToUpper(name)
	switch n := r.IntN(10); {
	case n < 2: // single name, common in Java
	case n < 8:
		name += " " + pick(r, family)
	default: // long names that wrap on the card
		name += " " + pick(r, family) + " " + pick(r, family)
	}
	if len(name) > 32 {
		name = name[:strings.LastIndexByte(name[:32], ' ')]
	}
	birth := time.Date(1950+r.IntN(56), time.Month(1+r.IntN(12)), 1, 0, 0, 0, 0, time.UTC)
	birth = birth.AddDate(0, 0, r.IntN(daysIn(birth)))
	day := birth.Day()
	gender := "LAKI-LAKI"
	if female {
		day += 40
		gender = "PEREMPUAN"
	}
	nik := fmt.Sprintf("%s%02d%02d%02d%04d", v.district, day, int(birth.Month()), birth.Year()%100, 1+r.IntN(2999))
	p := Person{
		Card: ktpocr.Card{
			NIK:                   nik,
			FullName:              name,
			PlaceOfBirth:          pick(r, birthPlaces),
			DateOfBirth:           birth.Format("02-01-2006"),
			Gender:                gender,
			BloodType:             pick(r, bloodTypes),
			Address:               newAddress(r),
			RTRW:                  fmt.Sprintf("%03d/%03d", 1+r.IntN(15), 1+r.IntN(12)),
			AdministrativeVillage: v.village,
			District:              v.districtName,
			City:                  v.city,
			State:                 v.province,
			Religion:              pick(r, religions),
			MaritalStatus:         pick(r, maritals),
			Occupation:            pick(r, occupations),
			Nationality:           "WNI",
		},
		ValidUntil:  "SEUMUR HIDUP",
		IssuePlace:  issuePlace(v.city),
		VillageCode: v.code,
	}
	if birth.Year() > 1998 && p.Card.MaritalStatus != "BELUM KAWIN" && r.IntN(2) == 0 {
		p.Card.MaritalStatus = "BELUM KAWIN"
	}
	issue := time.Date(2012+r.IntN(12), time.Month(1+r.IntN(12)), 1+r.IntN(28), 0, 0, 0, 0, time.UTC)
	p.IssueDate = issue.Format("02-01-2006")
	if r.IntN(6) == 0 {
		// Cards issued before 2016 printed a five-year validity ending on the birthday.
		p.ValidUntil = time.Date(2016+r.IntN(6), birth.Month(), birth.Day(), 0, 0, 0, 0, time.UTC).Format("02-01-2006")
	}
	return p
}

func daysIn(t time.Time) int { return t.AddDate(0, 1, -1).Day() }

// issuePlace is the city as printed under the photo: without "KABUPATEN"
// or "KOTA".
func issuePlace(city string) string {
	for _, p := range []string{"KABUPATEN ", "KOTA ADM. ", "KOTA "} {
		city = strings.TrimPrefix(city, p)
	}
	return city
}

func newAddress(r *rand.Rand) string {
	var s string
	switch r.IntN(8) {
	case 0, 1, 2:
		s = "JL. " + pick(r, streetNames)
	case 3:
		s = "GG. " + pick(r, streetNames)
	case 4, 5:
		s = "DSN. " + pick(r, hamlets)
	case 6:
		s = "KOMP. " + pick(r, []string{"GRIYA", "PERUMAHAN", "BUMI", "TAMAN"}) + " " + pick(r, streetNames)
	default:
		s = "JL. " + pick(r, streetNames) + " GG. " + pick(r, streetNames)
	}
	switch r.IntN(4) {
	case 0:
	case 1:
		s += fmt.Sprintf(" NO. %d", 1+r.IntN(150))
	case 2:
		s += fmt.Sprintf(" BLOK %c%d NO. %d", 'A'+rune(r.IntN(8)), 1+r.IntN(20), 1+r.IntN(40))
	default:
		s += fmt.Sprintf(" NO. %d%c", 1+r.IntN(99), 'A'+rune(r.IntN(4)))
	}
	return s
}
