# A module that is handed a face cluster's import ID, as `terraform import`
# takes it, and looks the cluster up.
variable "cluster_import_id" {
  type    = string
  default = "media_library/campaign_2026/Cluster-7a3b"
}

locals {
  # { project_name = "media_library", dataset_name = "campaign_2026", object_id = "Cluster-7a3b" }
  cluster = provider::imm::parse_import_id("imm_figure_cluster", var.cluster_import_id)
}

data "imm_figure_cluster" "this" {
  project_name = local.cluster.project_name
  dataset_name = local.cluster.dataset_name
  object_id    = local.cluster.object_id
}
