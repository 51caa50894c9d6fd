#!/usr/bin/env bash
# The one build of the front-end assets, used by `make assets` (so `make run` and `make test`)
# and by the Dockerfile's node stage. Needs node_modules (npm ci) and writes:
#   static/build/app.css                GOV.UK Frontend compiled with Arial (static/scss/app.scss)
#   static/build/chart.umd.min.js       Chart.js for the categorisation summary's chart
#   static/govuk/govuk-frontend.min.js  GOV.UK Frontend's JavaScript (an ES module)
#   static/govuk/assets/                its images and web manifest
# axe-core is not copied: the browser tests inject it from node_modules, production never serves it.
set -euo pipefail
cd "$(dirname "$0")/.."

npm_modules=node_modules
govuk="$npm_modules/govuk-frontend/dist/govuk"

# Vendored JavaScript is copied without its `//# sourceMappingURL=` comment: the maps are not
# shipped, and WhiteNoise's manifest storage (production's collectstatic) follows the comment and
# fails on the missing .map file.
copy_js() {
  sed -E 's@//# sourceMappingURL=[^[:space:]]*[[:space:]]*$@@' "$1" >"$2"
}

rm -rf static/build static/govuk
mkdir -p static/build static/govuk/assets

npx sass --pkg-importer=node --style=compressed --quiet-deps --no-source-map \
  static/scss/app.scss static/build/app.css
copy_js "$npm_modules/chart.js/dist/chart.umd.min.js" static/build/chart.umd.min.js
copy_js "$govuk/govuk-frontend.min.js" static/govuk/govuk-frontend.min.js
cp -r "$govuk/assets/images" static/govuk/assets/
cp "$govuk/assets/manifest.json" static/govuk/assets/

if grep -rlE --include='*.js' --include='*.css' 'sourceMappingURL=' static/build static/govuk; then
  echo "build_assets.sh: a sourceMappingURL comment is left in the files above" >&2
  exit 1
fi
