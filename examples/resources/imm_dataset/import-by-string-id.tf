import {
  to = imm_dataset.example
  id = "media_library/campaign_2026"
}
