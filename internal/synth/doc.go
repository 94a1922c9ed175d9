// Package synth renders photographs of synthetic Indonesian e-KTPs, and of
// documents that are not KTPs, with exact ground truth. They are the only
// images ktpocr tests and benchmarks with: no real person's card is ever
// used.
//
// A sample is drawn by Render from a Spec and a seeded *rand.Rand, so the
// same seed gives the same pixels. Generate writes a whole set to a
// directory (NNNN.jpg, NNNN.json and truth.jsonl).
//
// The card is drawn at 1000x631 px (ID-1, 85.6x54 mm): light-blue gradient
// with guilloche, a two-line bold header, the NIK in OCR-A, the labelled
// fields in Liberation Sans (metric twin of Arial) with colons in one
// column, a portrait, the place and date of issue and a signature. Its data
// is consistent: the village comes from the Kemendagri table in
// internal/region and the NIK is that district's code, the birth date as
// DDMMYY with 40 added to the day for women, and a serial.
//
// The card is then photographed: laid on wood, fabric or a desk with
// clutter, sometimes held by a hand, spanning 55-85 % of the width of a
// 1000x750 to 1600x1200 photo, tilted up to ±10° (a few turned 90° or 180°),
// with mild perspective, uneven light, vignetting, sensor noise and JPEG
// quality 70-95.
//
// # Conditions
//
// The quality labels are defined by how the image was made, so that a
// quality detector can be calibrated against them. capH is the height of a
// capital letter of the field text in the photo (about 14.4 card px times
// the card's scale).
//
//   - clean: none of the below. Exposure gain 0.9-1.1, illumination varying
//     at most ±18 % across the frame, vignetting at most 40 % darker in the
//     corners, noise sigma 1-3 (of 255), no glare, no deliberate blur.
//   - blur: gaussian blur with sigma 0.10-0.16 capH (never below 1.2 px) or
//     a straight motion blur of length 0.35-0.6 capH (never below 4 px): text
//     still legible to a patient reader, soft enough that a KYC flow would
//     ask for a retake.
//   - dark: under-exposed: gain 0.30-0.45, then gamma 1.2-1.45, noise sigma
//     2.5-5; the card's white reads about 40-90 of 255 (a dim room, no flash).
//   - flashlight: a specular glare spot of radius 6-12 % of the card's width
//     in the photo with a saturated core, centred on the card; half of the
//     time over the field text. Truth.Washed names the fields some of whose
//     print lies where the spot lifts the ink to within the noise of white
//     (washK): no reader can read them whole.
//   - grayscale: the photo has no colour (written as a grey JPEG).
//
// Combined labels (blur+dark, flashlight+grayscale, dark+grayscale,
// blur+flashlight, blur+grayscale) apply each part. Truth.Quality holds
// exactly the flags of the applied conditions.
//
// # Negatives
//
// Kinds other than "ktp" are not KTPs (Truth.IsKTP false, empty Card): a
// letter page, an NPWP-like and a SIM-like card in other colours and
// layouts, a shop receipt, a plain photo with no document, and a "parody"
// light-blue card laid out like a KTP whose labels and header are nonsense.
package synth
