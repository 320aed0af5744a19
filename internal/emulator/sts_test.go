package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/credentials-go/credentials"
)

const testRole = "acs:ram::1234567890123456:role/imm-operator"

// trustCertificate makes Go's default transport (which credentials-go
// clones for its STS call) trust the emulator's self-signed certificate,
// for the duration of the test.
func trustCertificate(t *testing.T, certPEM []byte) {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("CertPEM holds no certificate")
	}
	dt := as[*http.Transport](t, http.DefaultTransport)
	old := dt.TLSClientConfig
	dt.TLSClientConfig = &tls.Config{RootCAs: pool}
	t.Cleanup(func() { dt.TLSClientConfig = old })
}

func startTLS(t *testing.T, opts Options) *Server {
	t.Helper()
	srv, err := Start("127.0.0.1:0", opts, true)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	if !strings.HasPrefix(srv.URL(), "https://127.0.0.1:") || len(srv.CertPEM()) == 0 {
		t.Fatalf("TLS server URL %q, cert %d bytes", srv.URL(), len(srv.CertPEM()))
	}
	return srv
}

func TestRAMRoleProviderAssumesRoleOverTLSThenCallsIMM(t *testing.T) {
	srv := startTLS(t, Options{Roles: []string{testRole}})
	trustCertificate(t, srv.CertPEM())

	cred, err := credentials.NewCredential(&credentials.Config{
		Type:            dara.String("ram_role_arn"),
		AccessKeyId:     dara.String(DefaultAccessKeyID),
		AccessKeySecret: dara.String(DefaultAccessKeySecret),
		RoleArn:         dara.String(testRole),
		RoleSessionName: dara.String("terraform"),
		STSEndpoint:     dara.String(srv.Addr()),
	})
	if err != nil {
		t.Fatal(err)
	}
	model, err := cred.GetCredential()
	if err != nil {
		t.Fatalf("AssumeRole through credentials-go: %v", err)
	}
	if !strings.HasPrefix(dara.StringValue(model.AccessKeyId), "STS.") || dara.StringValue(model.SecurityToken) == "" {
		t.Fatalf("temporary credential %+v", model)
	}

	api, err := openapi.NewClient(&openapi.Config{
		Credential: cred,
		Endpoint:   dara.String(srv.Addr()),
		Protocol:   dara.String("https"),
		Ca:         dara.String(string(srv.CertPEM())),
	})
	if err != nil {
		t.Fatal(err)
	}
	c := &apiClient{t: t, api: api, version: immVersion, runtime: &dara.RuntimeOptions{}}
	c.must("CreateProject", map[string]string{"ProjectName": "viaRole"})

	log := srv.Requests()
	if len(log) != 2 {
		t.Fatalf("log %+v", log)
	}
	assume, create := log[0], log[1]
	if assume.Action != "AssumeRole" || assume.AccessKeyId != DefaultAccessKeyID || assume.Status != 200 ||
		assume.Params["RoleArn"] != testRole || assume.Params["RoleSessionName"] != "terraform" || assume.Params["DurationSeconds"] != "3600" {
		t.Errorf("AssumeRole log entry %+v", assume)
	}
	if create.Action != "CreateProject" || create.AccessKeyId != dara.StringValue(model.AccessKeyId) || create.Status != 200 {
		t.Errorf("CreateProject log entry %+v", create)
	}
}

func TestRoleChainingThroughCredentialsGo(t *testing.T) {
	srv := startTLS(t, Options{})
	trustCertificate(t, srv.CertPEM())
	first, err := credentials.NewCredential(&credentials.Config{
		Type: dara.String("ram_role_arn"), AccessKeyId: dara.String(DefaultAccessKeyID), AccessKeySecret: dara.String(DefaultAccessKeySecret),
		RoleArn: dara.String(testRole), RoleSessionName: dara.String("first"), STSEndpoint: dara.String(srv.Addr()),
	})
	if err != nil {
		t.Fatal(err)
	}
	m, err := first.GetCredential()
	if err != nil {
		t.Fatal(err)
	}
	second, err := credentials.NewCredential(&credentials.Config{
		Type: dara.String("ram_role_arn"), AccessKeyId: m.AccessKeyId, AccessKeySecret: m.AccessKeySecret, SecurityToken: m.SecurityToken,
		RoleArn: dara.String("acs:ram::1234567890123456:role/second"), RoleSessionName: dara.String("second"), STSEndpoint: dara.String(srv.Addr()),
	})
	if err != nil {
		t.Fatal(err)
	}
	m2, err := second.GetCredential()
	if err != nil {
		t.Fatalf("chained AssumeRole: %v", err)
	}
	if dara.StringValue(m2.AccessKeyId) == dara.StringValue(m.AccessKeyId) {
		t.Error("chaining returned the same key")
	}
	if log := srv.Requests(); log[1].AccessKeyId != dara.StringValue(m.AccessKeyId) {
		t.Errorf("the chained call was signed by %q", log[1].AccessKeyId)
	}
}

// assumeRole calls AssumeRole through darabonba (V3 unless told).
func assumeRole(t *testing.T, srv *Server, params map[string]string, opts ...clientOption) (map[string]any, error) {
	t.Helper()
	c := newClient(t, srv, opts...)
	c.version = stsVersion
	return c.call("AssumeRole", params)
}

func TestAssumeRoleAnswersAndErrors(t *testing.T) {
	srv, _ := startFake(t, Options{Roles: []string{testRole}})
	body, err := assumeRole(t, srv, map[string]string{"RoleArn": "ACS:RAM::1234567890123456:ROLE/IMM-OPERATOR", "RoleSessionName": "s1", "DurationSeconds": "900"})
	if err == nil {
		t.Fatalf("an upper-case ARN prefix was accepted: %v", body)
	}
	body, err = assumeRole(t, srv, map[string]string{"RoleArn": "acs:ram::1234567890123456:role/IMM-Operator", "RoleSessionName": "s1", "DurationSeconds": "900"}, withV2)
	if err != nil {
		t.Fatalf("a role name in another case: %v", err)
	}
	user := object(t, body, "AssumedRoleUser")
	if user["Arn"] != "acs:ram::1234567890123456:assumed-role/IMM-Operator/s1" || !strings.HasSuffix(text(t, user, "AssumedRoleId"), ":s1") {
		t.Errorf("AssumedRoleUser %v", user)
	}
	creds := object(t, body, "Credentials")
	if creds["Expiration"] != testStart.Add(900*time.Second).Format("2006-01-02T15:04:05Z") {
		t.Errorf("Expiration %v, want the fake clock + 900s", creds["Expiration"])
	}

	for _, tc := range []struct {
		params map[string]string
		status int
		code   string
		text   string
	}{
		{map[string]string{"RoleArn": "acs:ram::1234567890123456:role/other", "RoleSessionName": "s1"}, 404, "EntityNotExist.Role", "acs:ram::1234567890123456:role/other"},
		{map[string]string{"RoleArn": "arn:aws:iam::1:role/x", "RoleSessionName": "s1"}, 400, "InvalidParameter.RoleArn", "arn:aws"},
		{map[string]string{"RoleSessionName": "s1"}, 400, "MissingRoleArn", "RoleArn"},
		{map[string]string{"RoleArn": testRole}, 400, "MissingRoleSessionName", "RoleSessionName"},
		{map[string]string{"RoleArn": testRole, "RoleSessionName": "a b"}, 400, "InvalidParameter.RoleSessionName", ""},
		{map[string]string{"RoleArn": testRole, "RoleSessionName": "s1", "DurationSeconds": "899"}, 400, "InvalidParameter.DurationSeconds", "between 900 and 43200"},
		{map[string]string{"RoleArn": testRole, "RoleSessionName": "s1", "DurationSeconds": "43201"}, 400, "InvalidParameter.DurationSeconds", ""},
		{map[string]string{"RoleArn": testRole, "RoleSessionName": "s1", "Policy": "{"}, 400, "InvalidParameter.PolicyGrammar", ""},
	} {
		_, err := assumeRole(t, srv, tc.params)
		if err == nil {
			t.Errorf("AssumeRole %v succeeded", tc.params)
			continue
		}
		se := asSDKError(t, err)
		if se.Status != tc.status || se.Code != tc.code || !strings.Contains(se.Message, tc.text) {
			t.Errorf("AssumeRole %v: %d %s %q, want %d %s containing %q", tc.params, se.Status, se.Code, se.Message, tc.status, tc.code, tc.text)
		}
		if rec, _ := se.Data["Recommend"].(string); !strings.HasSuffix(rec, "&product=Sts") {
			t.Errorf("Recommend %q", rec)
		}
	}
}

func TestTemporaryCredentialsWorkUntilTheyExpire(t *testing.T) {
	srv, fake := startFake(t, Options{})
	body, err := assumeRole(t, srv, map[string]string{"RoleArn": testRole, "RoleSessionName": "s1", "DurationSeconds": "900"})
	if err != nil {
		t.Fatal(err)
	}
	cr := object(t, body, "Credentials")
	id, secret, token := text(t, cr, "AccessKeyId"), text(t, cr, "AccessKeySecret"), text(t, cr, "SecurityToken")
	other, err := assumeRole(t, srv, map[string]string{"RoleArn": testRole, "RoleSessionName": "s2"})
	if err != nil {
		t.Fatal(err)
	}
	otherToken := text(t, object(t, other, "Credentials"), "SecurityToken")

	for _, v := range [][]clientOption{{}, {withV2}} {
		newClient(t, srv, append(v, withSTS(id, secret, token))...).must("ListProjects", nil)
		newClient(t, srv, append(v, withKey(id, secret))...).fails("ListProjects", nil, 400, "InvalidSecurityToken.Malformed")
		newClient(t, srv, append(v, withSTS(id, secret, "CAISforged"))...).fails("ListProjects", nil, 400, "InvalidSecurityToken.Malformed")
		newClient(t, srv, append(v, withSTS(id, secret, otherToken))...).fails("ListProjects", nil, 400, "InvalidSecurityToken.MismatchWithAccessKey")
		newClient(t, srv, append(v, withSTS(DefaultAccessKeyID, DefaultAccessKeySecret, token))...).fails("ListProjects", nil, 400, "InvalidSecurityToken.MismatchWithAccessKey")
		newClient(t, srv, append(v, withSTS(id, "wrong", token))...).fails("ListProjects", nil, 400, "SignatureDoesNotMatch")
	}

	// Role chaining is capped at an hour.
	if _, err := assumeRole(t, srv, map[string]string{"RoleArn": testRole, "RoleSessionName": "chain", "DurationSeconds": "3601"}, withSTS(id, secret, token)); err == nil {
		t.Error("a chained session longer than an hour was granted")
	}
	if _, err := assumeRole(t, srv, map[string]string{"RoleArn": testRole, "RoleSessionName": "chain"}, withSTS(id, secret, token)); err != nil {
		t.Errorf("role chaining: %v", err)
	}

	fake.Advance(900 * time.Second)
	for _, v := range [][]clientOption{{}, {withV2}} {
		se := newClient(t, srv, append(v, withSTS(id, secret, token))...).fails("ListProjects", nil, 400, "InvalidSecurityToken.Expired")
		if !strings.Contains(se.Message, "expired") {
			t.Errorf("message %q", se.Message)
		}
	}
}
