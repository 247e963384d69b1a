"""我负责的片区: what community staff (bureau officers in charge of areas) must do today."""
