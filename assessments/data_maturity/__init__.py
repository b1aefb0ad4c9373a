"""The data maturity self-assessment (model, view) and the team view that combines colleagues' files (team, team_view)."""
