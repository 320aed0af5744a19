package provider

import (
	"strings"
	"testing"
)

func TestARNPartChecksFollowIMMsRulesAndRAMsWildcard(t *testing.T) {
	tests := []struct {
		check stringCheck
		value string
		ok    bool
	}{
		{arnRegionCheck, "cn-hangzhou", true},
		{arnRegionCheck, "cn-north-2-gov-1", true},
		{arnRegionCheck, "*", true},
		{arnRegionCheck, "cn-*", false}, // a whole region or every region
		{arnRegionCheck, "", false},
		{arnRegionCheck, "hangzhou", false},
		{arnAccountIDCheck, "1234567890123456", true},
		{arnAccountIDCheck, "*", true},
		{arnAccountIDCheck, "123456789012345", false},   // 15 digits
		{arnAccountIDCheck, "12345678901234567", false}, // 17 digits
		{arnAccountIDCheck, "123456789012****", false},  // the docs' masked example
		{arnNameCheck, "media_library", true},
		{arnNameCheck, "_private-1", true},
		{arnNameCheck, "*", true},
		{arnNameCheck, "imm-test-doc*", true}, // IMM's own policy example
		{arnNameCheck, "*-prod", true},
		{arnNameCheck, "9media", false},
		{arnNameCheck, "-media", false},
		{arnNameCheck, "media.library", false},
		{arnNameCheck, "media/photos", false},
		{arnNameCheck, "", false},
		{arnNameCheck, "a" + strings.Repeat("b", 127), true},
		{arnNameCheck, "a" + strings.Repeat("b", 128), false},
		{arnTriggerIDCheck, "trigger-9f72636a-0f0c-4baf-ae78-38b27b000000", true},
		{arnTriggerIDCheck, "*", true},
		{arnTriggerIDCheck, "9f72636a-0f0c-4baf-ae78-38b27b000000", false},
		{arnTriggerIDCheck, "batch-4eb9223f-3e88-42d3-a578-3f2852000000", false},
		{arnTriggerIDCheck, "trigger-", false},
	}
	for _, tt := range tests {
		if err := tt.check.check(tt.value); (err == nil) != tt.ok {
			t.Errorf("%s check of %q = %v, want ok %v", tt.check.summary, tt.value, err, tt.ok)
		}
	}
}
