# Find every face cluster of a dataset, to name them:
#   terraform query -generate-config-out=clusters.tf
# writes an imm_figure_cluster block per cluster, with its import block; set
# each one's name and apply.
list "imm_figure_cluster" "faces" {
  provider         = imm
  include_resource = true

  config {
    project_name = "media_library"
    dataset_name = "faces"
  }
}
