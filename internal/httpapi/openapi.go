package httpapi

import _ "embed"

// openAPIDocument describes the API; a test validates real responses of a
// running server against it, so it cannot drift from the handlers.
//
//go:embed openapi.json
var openAPIDocument []byte

// OpenAPI returns the OpenAPI 3 document served at /openapi.json.
func OpenAPI() []byte { return append([]byte(nil), openAPIDocument...) }
