// Package imm is a small typed client for Alibaba Cloud Intelligent Media
// Management (IMM), OpenAPI version 2020-09-30.
//
// It has one method per IMM action the provider uses, with request and
// response structs whose json tags are the API's own field names. Requests are
// signed and sent by Alibaba's OpenAPI client
// (github.com/alibabacloud-go/darabonba-openapi/v2, CallApi); credentials come
// from github.com/aliyun/credentials-go. The official IMM SDK module is not
// available from the module proxy this project builds with, so this package
// replaces it with a thin layer over CallApi.
//
// The client retries throttling, server errors and transport failures with
// exponential backoff and full jitter, bounded by the context deadline, and
// reports every error the service returns as an *Error carrying IMM's code,
// message and request ID.
//
// This package must not import anything from Terraform
// (github.com/hashicorp/terraform-plugin-*), nor the emulator: the provider
// adapts it to Terraform, and the emulator is an independent oracle for it.
package imm
