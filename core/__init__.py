"""The bottom layer every app uses: errors, after-commit dispatch, the Swedish working calendar,
the seed-page reader, storable text and the API's shared parts. It imports no app of ours."""
