package emulator

import (
	"fmt"
	"net/http"
)

// apiError is an error as IMM (or the POP gateway in front of it) reports it:
// an HTTP status, a Code the client decides on, and a Message for people.
type apiError struct {
	Status  int
	Code    string
	Message string
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

func newAPIError(status int, code, format string, args ...any) *apiError {
	return &apiError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

// invalidArgument is IMM's code for every parameter it refuses: malformed
// values, values out of range, broken preconditions.
func invalidArgument(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidArgument", format, args...)
}

// missingParameter uses the wording of IMM's own error-handling page.
func missingParameter(name string) *apiError {
	return invalidArgument("The parameter %s is required but not provided.", name)
}

func invalidJSON(name string, err error) *apiError {
	return newAPIError(http.StatusBadRequest, "InvalidJSON",
		"The parameter %s is not valid JSON of the expected shape: %v", name, err)
}

// resourceNotFound and resourceAlreadyExists follow IMM's message templates
// and its documented status, 400 (not 404).
func resourceNotFound(resourceType string) *apiError {
	return newAPIError(http.StatusBadRequest, "ResourceNotFound",
		"The specified resource %s is not found.", resourceType)
}

func resourceAlreadyExists(resourceType string) *apiError {
	return newAPIError(http.StatusBadRequest, "ResourceAlreadyExists",
		"The specified resource %s already exists.", resourceType)
}

func resourceCountExceeded(format string, args ...any) *apiError {
	return newAPIError(http.StatusBadRequest, "LimitExceededError",
		"Message: resource count exceeds the limit ("+format+")", args...)
}

func internalError(format string, args ...any) *apiError {
	return newAPIError(http.StatusInternalServerError, "InternalError", format, args...)
}

// Resource types as they appear in ResourceNotFound and ResourceAlreadyExists.
const (
	resourceProject       = "project"
	resourceDataset       = "dataset"
	resourceFigureCluster = "figure-cluster"
	resourceTask          = "task"
	resourceBinding       = "binding"
	resourceAttachment    = "attachment"
)
