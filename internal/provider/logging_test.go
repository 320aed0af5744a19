package provider

import (
	"maps"
	"testing"
)

func TestLogsAreSwitchedOffOnlyWhenNoTFLogVariableAsksForThem(t *testing.T) {
	off := map[string]string{"TF_LOG_SDK": "OFF", "TF_LOG_SDK_PROTO": "OFF", "TF_LOG_SDK_FRAMEWORK": "OFF", "TF_LOG_PROVIDER_IMM": "OFF"}
	for name, tc := range map[string]struct {
		environ []string
		want    map[string]string
	}{
		"no variables":                  {nil, off},
		"unrelated variables":           {[]string{"HOME=/root", "TF_IN_AUTOMATION=1", "TF_CLI_CONFIG_FILE=rc"}, off},
		"TF_LOG set but empty":          {[]string{"TF_LOG="}, off},
		"TF_LOG":                        {[]string{"TF_LOG=DEBUG"}, nil},
		"TF_LOG_PROVIDER":               {[]string{"TF_LOG_PROVIDER=TRACE"}, nil},
		"TF_LOG_PROVIDER_IMM":           {[]string{"TF_LOG_PROVIDER_IMM=DEBUG"}, nil},
		"TF_LOG_SDK_FRAMEWORK":          {[]string{"TF_LOG_SDK_FRAMEWORK=TRACE"}, nil},
		"TF_LOG_PATH alone":             {[]string{"TF_LOG_PATH=/tmp/tf.log"}, nil},
		"TF_LOG_SDK_PROTO_DATA_DIR set": {[]string{"TF_LOG_SDK_PROTO_DATA_DIR=/tmp/proto"}, nil},
	} {
		t.Run(name, func(t *testing.T) {
			if got := LogLevelsUnlessAsked(tc.environ); !maps.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}
