// Package ktp reads the fields of an e-KTP from an upright, rectified card
// image, by the card's layout.
//
// Parse is pure: from the lines an OCR engine read it anchors on the
// printed labels of the left column (fuzzy, with a per-label edit-distance
// tolerance, in printed order), takes each value by geometry (right of the
// label on its row; wrapped lines below for name, birthplace, address,
// regions and occupation, until the next left-column line; nothing from the
// photo side of the card), splits Gol. Darah off the Jenis Kelamin row and
// Tempat/Tgl Lahir into place and date, and reads the two centred header
// lines as province and city. Left-column rows whose label was misread are
// named by the card's row pitch when the labels that were read agree on one
// (pitch.go). Fields.IsKTP is the verdict on whether the page is an e-KTP
// at all: NIK label, PROVINSI header and at least five other labels, a
// label named by position counting only when its text still reads loosely
// like the label. Reader.Read accepts a page that fails IsKTP when its NIK
// band reads as a plausible NIK (a real Kemendagri district code and a real
// birth date, evidence.go) and the header was found with the NIK label or
// three other labels: blur fades the thin labels before the bold header
// and digits.
//
// Reader.Read drives an ocr.Engine and asks of it only what the layout
// needs (layout.go): it detects (on a level-stretched copy of a dark card),
// drops the photo side's boxes and cuts values at the value column's end,
// recognises value boxes and only four of the thirteen label boxes (the
// rest vouched for by the layout), reads the NIK band once with the
// digits-only decode instead of the general one too,
// re-reads unsure value lines from an upscaled crop, reads the label
// column by geometry where the detector found no labels, re-reads the
// rhesus sign of Gol. Darah, reads the NIK band
// again with the digits-only decode (16 digits or nothing; a second,
// upscaled read is fused digit by digit when the first is unsure, and,
// still unsure, a read with the background divided out against glare
// replaces them when surer, glare.go), then
// normalises with internal/normalize: closed vocabularies and region names
// snapped, names and addresses only cleaned, the NIK checked against the
// printed fields and repaired only when exactly one single-digit edit
// passes every check.
//
// # Measured
//
// Generated cards (internal/synth), rectified by their true corners so that
// the numbers are the reader's alone, real PP-OCRv4 engine, 2-core box
// shared with other jobs:
//
//	go test ./internal/ktp -run TestMeasure -ktp.bench 40 -ktp.seed 2 -ktp.mix default -v
//	go test ./internal/ktp -run TestMeasure -ktp.bench 30 -ktp.seed 3 -ktp.mix clean -v
//
// Whole pipeline, CPU per image (decode, card.Find, quality, Read; one
// image at a time), and the bench table:
//
//	ktpocr synth -n 100 -seed 31 -out /tmp/p31
//	go test ./internal/ktp -run TestSpeed -ktp.dir /tmp/p31 -v
//
// README.md beside this file holds the numbers: on 30 clean generated cards
// NIK 100 %, every field ≥ 93 % exact (names lose spaces), whole card 90 %,
// about 0.84 s CPU per card (p50) on a loaded 2-core box.
package ktp
