package credentials

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestRedactSecrets(t *testing.T) {
	for in, want := range map[string]string{
		`Post "https://sts.aliyuncs.com/?AccessKeyId=LTAI&SecurityToken=CAIS&Signature=x": dial tcp: timeout`: `Post "https://sts.aliyuncs.com/?(query removed)": dial tcp: timeout`,
		`refresh credentials failed: {"AccessKeySecret":"abc"}`:                                               `refresh credentials failed: {"AccessKeySecret…(redacted)`,
		"plain failure": "plain failure",
	} {
		if got := redactSecrets(in); got != want {
			t.Errorf("redactSecrets(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestFetchError_renewalFailureNamesTheSource covers a failure after Resolve:
// the credentials URI stops answering during the run.
func TestFetchError_renewalFailureNamesTheSource(t *testing.T) {
	t.Parallel()
	refusing := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-refusing:
			http.Error(w, `{"Code":"Unavailable","Message":"sidecar restarting"}`, http.StatusServiceUnavailable)
		default:
			// A session in the renewal margin, so the next call asks again.
			_ = json.NewEncoder(w).Encode(map[string]string{"AccessKeyId": "STS.uri", "AccessKeySecret": "uri-secret",
				"SecurityToken": "uri-token", "Expiration": stsExpiration(time.Now().Add(time.Minute))})
		}
	}))
	t.Cleanup(srv.Close)
	w := newCredWorld(t)
	w.env.Set("ALIBABA_CLOUD_CREDENTIALS_URI", srv.URL)
	cred, err := w.resolve()
	if err != nil {
		t.Fatal(err)
	}
	close(refusing)
	_, err = cred.Credential.GetCredential()
	var fetchErr *FetchError
	if !errors.As(err, &fetchErr) {
		t.Fatalf("error %v, want a *FetchError", err)
	}
	requireContains(t, err.Error(), "could not get credentials from the environment variable ALIBABA_CLOUD_CREDENTIALS_URI",
		"Code:       Unavailable", "sidecar restarting")
	requireAbsent(t, err.Error(), "uri-secret", "uri-token")
}

func TestResolved_maskedAccessKeyID(t *testing.T) {
	for id, want := range map[string]string{"LTAI5tAbCdEfGhIjK": "LTAI****IjK", "STS.x": "****", "": "****"} {
		if got := (&Resolved{AccessKeyID: id}).MaskedAccessKeyID(); got != want {
			t.Errorf("MaskedAccessKeyID(%q) = %q, want %q", id, got, want)
		}
	}
}
