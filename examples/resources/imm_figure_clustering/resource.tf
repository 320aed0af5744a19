# Cluster the faces of a dataset. Changing a trigger runs the clustering
# again, for example after a new batch of photos was indexed.
resource "imm_figure_clustering" "faces" {
  project_name = "media_library"
  dataset_name = "campaign_2026"

  triggers = {
    indexed_batch = "2026-11-23"
  }

  timeouts {
    create = "1h"
  }
}
