import {
  to = imm_figure_cluster.ceo
  id = "media_library/campaign_2026/Cluster-7bdbcedb-e72a-4d6c-a00e-3a40a0a0a1b2"
}
