"""The workbench (工作台): a signed-in person's front page, built from what they have to do."""
