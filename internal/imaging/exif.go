package imaging

import (
	"bytes"
	"encoding/binary"
)

// jpegOrientation returns the EXIF orientation of a JPEG, 0 when it has
// none. It walks the marker segments up to the first scan and reads the
// first APP1 "Exif" segment; every offset is bounds-checked because the
// bytes come from the client.
func jpegOrientation(data []byte) Orientation {
	p := 2 // after SOI
	for p+4 <= len(data) {
		if data[p] != 0xFF {
			return 0
		}
		marker := data[p+1]
		if marker == 0xFF { // fill byte
			p++
			continue
		}
		if marker == 0xD8 || (marker >= 0xD0 && marker <= 0xD7) || marker == 0x01 {
			p += 2 // markers without a length
			continue
		}
		if marker == 0xDA || marker == 0xD9 { // start of scan, end of image
			return 0
		}
		n := int(binary.BigEndian.Uint16(data[p+2 : p+4]))
		if n < 2 || p+2+n > len(data) {
			return 0
		}
		seg := data[p+4 : p+2+n]
		if marker == 0xE1 && bytes.HasPrefix(seg, []byte("Exif\x00\x00")) {
			return tiffOrientation(seg[6:])
		}
		p += 2 + n
	}
	return 0
}

// pngOrientation returns the orientation in a PNG's eXIf chunk, 0 when it
// has none. The chunk must come before the image data to count.
func pngOrientation(data []byte) Orientation {
	p := 8 // after the signature
	for p+8 <= len(data) {
		n := int(binary.BigEndian.Uint32(data[p : p+4]))
		typ := string(data[p+4 : p+8])
		if n < 0 || n > len(data)-p-12 {
			return 0
		}
		switch typ {
		case "eXIf":
			return tiffOrientation(data[p+8 : p+8+n])
		case "IDAT", "IEND":
			return 0
		}
		p += 12 + n // length, type, data, CRC
	}
	return 0
}

// tiffOrientation reads tag 0x0112 from IFD0 of a TIFF-structured EXIF
// block.
func tiffOrientation(t []byte) Orientation {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 0
	}
	if bo.Uint16(t[2:4]) != 42 {
		return 0
	}
	ifd := int64(bo.Uint32(t[4:8]))
	if ifd < 8 || ifd+2 > int64(len(t)) {
		return 0
	}
	count := int(bo.Uint16(t[ifd : ifd+2]))
	for i := range count {
		e := ifd + 2 + int64(i)*12
		if e+12 > int64(len(t)) {
			return 0
		}
		if bo.Uint16(t[e:e+2]) != 0x0112 {
			continue
		}
		// Type SHORT (3), count 1: the value sits in the first two bytes of
		// the value field. Some writers use LONG (4); accept it too.
		var v uint32
		switch bo.Uint16(t[e+2 : e+4]) {
		case 3:
			v = uint32(bo.Uint16(t[e+8 : e+10]))
		case 4:
			v = bo.Uint32(t[e+8 : e+12])
		default:
			return 0
		}
		if v >= 1 && v <= 8 {
			return Orientation(v)
		}
		return 0
	}
	return 0
}
