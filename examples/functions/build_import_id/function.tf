# Adopt a dataset made outside Terraform: the import ID is built from its
# names, each checked as `terraform import` checks it.
import {
  to = imm_dataset.photos
  id = provider::imm::build_import_id("imm_dataset", { project_name = "media_library", dataset_name = "campaign_2026" })
}

resource "imm_dataset" "photos" {
  project_name = "media_library"
  dataset_name = "campaign_2026"
}

# The import ID of any resource, from the resource itself.
output "photos_import_id" {
  value = provider::imm::build_import_id("imm_dataset", imm_dataset.photos)
}
