# A face cluster is imported by project_name/dataset_name/object_id.
terraform import imm_figure_cluster.ceo media_library/campaign_2026/Cluster-7bdbcedb-e72a-4d6c-a00e-3a40a0a0a1b2
