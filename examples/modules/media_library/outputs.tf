output "project_name" {
  description = "The IMM project's name."
  value       = imm_project.this.project_name
}

output "dataset_name" {
  description = "The dataset's name."
  value       = imm_dataset.this.dataset_name
}

output "dataset_id" {
  description = "The dataset's ID, project_name/dataset_name, as imm_dataset imports it."
  value       = imm_dataset.this.id
}

output "binding_uri" {
  description = "The bound bucket, oss://<bucket>; null without oss_bucket."
  value       = one(imm_binding.this[*].uri)
}

output "binding_phase" {
  description = "IncrementalScanning once the objects already in the bucket are indexed (new uploads are indexed as they come); null without oss_bucket."
  value       = one(imm_binding.this[*].phase)
}

output "dataset_create_time" {
  description = "When IMM created the dataset (RFC 3339): it changes only when the dataset is replaced."
  value       = imm_dataset.this.create_time
}
