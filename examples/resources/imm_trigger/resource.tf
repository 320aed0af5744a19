resource "imm_project" "example" {
  project_name = "document_library"
}

# Convert every document uploaded under incoming/ to at most three pages.
# The bucket must be attached to the project (AttachOSSBucket), or the
# trigger ends Failed.
resource "imm_trigger" "example" {
  project_name = imm_project.example.project_name

  input = {
    bucket = "example-documents"
    prefix = "incoming/"
  }

  actions = [
    {
      name             = "doc/convert"
      parameters       = ["pages=3"]
      fast_fail_policy = "abort"
    },
  ]

  service_role = "AliyunIMMBatchTriggerRole"

  notification = {
    mns_topic_name = "imm-document-events"
  }

  tags = {
    team = "documents"
  }

  # Set to true to pause the processing; false resumes it.
  suspended = false
}

output "trigger_state" {
  value = imm_trigger.example.state
}
