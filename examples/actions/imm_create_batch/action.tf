# Convert every document already in the bucket (new uploads are an
# imm_trigger's job):
#   terraform apply -invoke=action.imm_create_batch.convert_archive
action "imm_create_batch" "convert_archive" {
  config {
    project_name = "media_library"
    input        = { bucket = "archive-documents", prefix = "scans/" }
    actions      = [{ name = "doc/convert", parameters = ["pages=3"] }]
    tags         = { run = "backfill" }
    timeout      = "2h"
  }
}
