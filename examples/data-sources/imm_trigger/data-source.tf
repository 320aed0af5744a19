data "imm_trigger" "conversion" {
  project_name = "document_library"
  id           = "trigger-9f72636a-0f0c-4baf-ae78-38b27b000000"
}

output "documents_converted" {
  value = data.imm_trigger.conversion.statistics.submit_success
}
