package credentials

import (
	"strings"
	"testing"
)

func TestRules_acceptTheDocumentedFormsOnly(t *testing.T) {
	cases := []struct {
		rule   Rule
		valid  []string
		broken []string
	}{
		{RoleARN, []string{testRoleARN, "acs:ram::1:role/a", "acs:ram::1:role/AliyunIMMDefaultRole", "acs:ram::1:role/ops.deploy-1",
			"acs:ram::1:role/" + strings.Repeat("r", 64)},
			[]string{"", "arn:aws:iam::123:role/x", "acs:ram:::role/x", "acs:ram::12ab:role/x", "acs:ram::1:role/", "acs:ram::1:role/a_b",
				"acs:ram::1:role/a b", "acs:ram::1:role/" + strings.Repeat("r", 65), "acs:ram::1:oidc-provider/x", " " + testRoleARN}},
		{OIDCProviderARN, []string{"acs:ram::1:oidc-provider/p", "acs:ram::1234567890123456:oidc-provider/ack-rrsa_c1.x",
			"acs:ram::1:oidc-provider/" + strings.Repeat("p", 128)},
			[]string{"", testRoleARN, "acs:ram::1:oidc-provider/-p", "acs:ram::1:oidc-provider/p.", "acs:ram::1:oidc-provider/" + strings.Repeat("p", 129)}},
		{RoleName, []string{"r", "imm-ecs.role", strings.Repeat("r", 64)}, []string{"", "my role", "my_role", strings.Repeat("r", 65)}},
		{RoleSessionName, []string{"ci", "alice@example.com", "run_42.a-b", strings.Repeat("s", 64)},
			[]string{"", "s", "a b", "名字", strings.Repeat("s", 65)}},
		{ExternalID, []string{"ab", "imm-prod", "a+b=c,d.e@f:g/h-i_j", strings.Repeat("e", 1224)},
			[]string{"", "e", "a b", "id#1", strings.Repeat("e", 1225)}},
		{Policy, []string{`{"Version":"1"}`, `{"Note":"` + strings.Repeat("图", 2036) + `"}`},
			[]string{"", "[]", "Statement: allow", `{"Note":"` + strings.Repeat("图", 2038) + `"}`}}, // 2047 and 2049 characters
		{STSEndpoint, []string{"sts.aliyuncs.com", "sts-vpc.cn-hangzhou.aliyuncs.com", "https://127.0.0.1:8443", "https://sts.aliyuncs.com/"},
			[]string{"", "http://sts.aliyuncs.com", "sts.aliyuncs.com/v1", "https://user@sts.aliyuncs.com", "sts.aliyuncs.com?x=1"}},
		{CredentialsURI, []string{"http://127.0.0.1:9000/creds", "https://sidecar/creds?token=x"}, []string{"", "ftp://host/creds", "/creds"}},
	}
	for _, tc := range cases {
		t.Run(tc.rule.Summary, func(t *testing.T) {
			if !strings.HasPrefix(tc.rule.Description, "must be ") {
				t.Errorf("description %q does not complete %q", tc.rule.Description, "<setting> ...")
			}
			for _, v := range tc.valid {
				if !tc.rule.Valid(v) {
					t.Errorf("%.60q refused", v)
				}
			}
			for _, v := range tc.broken {
				if tc.rule.Valid(v) {
					t.Errorf("%.60q accepted", v)
				}
			}
		})
	}
}
