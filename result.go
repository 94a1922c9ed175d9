package ktpocr

// Status is the state of an extraction job.
type Status string

const (
	StatusProcessing Status = "PROCESSING"
	StatusSucceeded  Status = "SUCCEEDED"
	StatusFailed     Status = "FAILED"
)

// ResultBody is the body of the sync response, of GET result and of a
// callback: {"message", "error_code", "data"}.
type ResultBody struct {
	Message   string      `json:"message"`
	ErrorCode Code        `json:"error_code,omitempty"`
	Data      *ResultData `json:"data,omitempty"`
}

// ResultData is the "data" object of a result body. Card is a pointer so
// that a failed extraction carries no field keys at all.
type ResultData struct {
	ReferenceID  string   `json:"reference_id,omitempty"`
	Status       Status   `json:"status,omitempty"`
	StatusCode   string   `json:"status_code,omitempty"`
	ImageQuality *Quality `json:"image_quality,omitempty"`
	*Card
	Extra *Extra `json:"extra,omitempty"`
}

// Billing status codes carried in data.status_code. Verihubs documents the
// field as a billing status; ktpocr bills nothing, so it names the outcome.
const (
	StatusCodeBillable    = "BILLABLE"     // a card was read
	StatusCodeNotBillable = "NOT_BILLABLE" // failed: no card, poor quality or fault
)

// NewResultBody turns the outcome of an extraction into the result body.
// err is nil or what Extractor.Extract returned.
func NewResultBody(referenceID string, x *Extraction, err error) ResultBody {
	if err == nil && x != nil {
		q := x.Quality
		c := x.Card
		e := x.Extra
		return ResultBody{
			Message: "Success",
			Data: &ResultData{
				ReferenceID: referenceID, Status: StatusSucceeded, StatusCode: StatusCodeBillable,
				ImageQuality: &q, Card: &c, Extra: &e,
			},
		}
	}
	code := ErrorCode(err)
	body := ResultBody{
		Message:   ErrorMessage(err),
		ErrorCode: code,
		Data:      &ResultData{ReferenceID: referenceID, Status: StatusFailed, StatusCode: StatusCodeNotBillable},
	}
	if code == CodeFailOn1 && x != nil {
		q := x.Quality
		body.Data.ImageQuality = &q
	}
	return body
}
