// Progressive enhancement of a district hotspot page: replaces the static SVG map with a Leaflet
// map drawn from the page's own GeoJSON (district outlines and the query's cells). Without
// JavaScript, or if anything here fails, the static map and the tables stay as they are.
(function () {
  "use strict";

  var container = document.getElementById("hotspot-map");
  if (!container || !window.L || !window.fetch) {
    return;
  }
  var config = JSON.parse(container.getAttribute("data-settings"));
  var fills = config.fills;
  var area = container.getAttribute("data-area");
  var tileUrl = container.getAttribute("data-tile-url");
  var staticMap = document.getElementById("hotspot-static-map");
  var RANKS_SHOWN = 5;
  var LABEL_SPACING = 20;

  function readJson(response) {
    if (!response.ok) {
      throw new Error("HTTP " + response.status);
    }
    return response.json();
  }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value;
    return span.innerHTML;
  }

  var outlined = config.outlined || {};

  // 99% squares carry a white outline (their fill cannot be a further 3:1 darker than 95%);
  // cold squares a dashed one, as on the static map's hatching.
  function cellStyle(feature) {
    var cls = feature.properties["class"];
    var cold = cls.indexOf("cold") === 0;
    return {
      fillColor: fills[cls],
      fillOpacity: 1,
      color: outlined[cls] || (cold ? "#ffffff" : fills[cls]),
      weight: outlined[cls] ? 1.5 : (cold ? 1 : 0.5),
      dashArray: cold && !outlined[cls] ? "3 3" : null
    };
  }

  function describeCell(props) {
    var lines = [
      "<strong>" + text(props.id) + "</strong>",
      text(props["class"]),
      "Crimes: " + props.count.toLocaleString("en-GB")
    ];
    if (props.harm !== undefined) {
      lines.push("Harm: " + props.harm.toLocaleString("en-GB", { maximumFractionDigits: 1 }));
    }
    lines.push("z: " + props.z.toFixed(2));
    lines.push("Adjusted p: " + (props.p_adjusted < 0.0001 ? "< 0.0001" : props.p_adjusted.toFixed(4)));
    return lines.join("<br>");
  }

  // Numbers the hottest squares as the table ranks them; a rank that would cover a higher one
  // is left out, as on the static map.
  function rankLabels(map, cellsById) {
    var rows = document.querySelectorAll("[data-testid=hottest] tbody tr");
    var placed = [];
    for (var i = 0; i < rows.length && i < RANKS_SHOWN; i += 1) {
      var header = rows[i].querySelector("th");
      var layer = header && cellsById[header.textContent.trim()];
      var point = layer && map.latLngToContainerPoint(layer.getBounds().getCenter());
      var crowded = point && placed.some(function (p) { return p.distanceTo(point) < LABEL_SPACING; });
      if (layer && !crowded) {
        placed.push(point);
        L.tooltip({ permanent: true, direction: "center", className: "cp-hotspot-rank", interactive: false })
          .setLatLng(layer.getBounds().getCenter())
          .setContent(String(i + 1))
          .addTo(map);
      }
    }
  }

  function draw(outlines, cells) {
    container.hidden = false;
    var map = L.map(container, { zoomSnap: 0.25, scrollWheelZoom: false });
    map.attributionControl.setPrefix("Leaflet");
    map.attributionControl.addAttribution("Boundaries: ONS, OGL v3.0; crimes: police.uk");
    if (tileUrl) {
      L.tileLayer(tileUrl, {
        attribution: container.getAttribute("data-tile-attribution"),
        maxZoom: 19
      }).addTo(map);
    }
    var isArea = function (feature) { return feature.properties.code === area; };
    L.geoJSON(outlines, {
      filter: function (feature) { return !isArea(feature); },
      style: { color: "#505a5f", weight: 1, fill: false },
      interactive: false
    }).addTo(map);
    L.geoJSON(outlines, {
      filter: isArea,
      style: { stroke: false, fillColor: fills["not significant"], fillOpacity: tileUrl ? 0.4 : 1 },
      interactive: false
    }).addTo(map);
    var cellsById = {};
    L.geoJSON(cells, {
      filter: function (feature) { return feature.properties.bin !== 0; },
      style: cellStyle,
      onEachFeature: function (feature, layer) {
        cellsById[feature.properties.id] = layer;
        layer.bindTooltip(describeCell(feature.properties), { sticky: true });
      }
    }).addTo(map);
    var district = L.geoJSON(outlines, {
      filter: isArea,
      style: { color: "#0b0c0c", weight: 2, fill: false },
      interactive: false
    }).addTo(map);
    map.fitBounds(district.getBounds(), { padding: [8, 8] });
    rankLabels(map, cellsById);
    // The squares are for pointing at; keyboard and screen reader users have the table of
    // hot squares (and the "Skip the map" link), so no square is a Tab stop.
    Object.keys(cellsById).forEach(function (id) {
      var el = cellsById[id].getElement && cellsById[id].getElement();
      if (el) {
        el.setAttribute("tabindex", "-1");
        el.setAttribute("aria-hidden", "true");
      }
    });
    // Tooltips close on Esc (WCAG 1.4.13).
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" || event.key === "Esc") {
        map.eachLayer(function (layer) {
          if (layer.closeTooltip && layer.getTooltip && layer.getTooltip() &&
              !layer.getTooltip().options.permanent) {
            layer.closeTooltip();
          }
        });
      }
    });
    if (staticMap) {
      // The drawing gives way to the interactive map; its description and key stay on the
      // page as text (#map-description, the map key list).
      staticMap.hidden = true;
    }
    container.setAttribute("data-ready", "true");
  }

  Promise.all([
    fetch(container.getAttribute("data-boundaries")).then(readJson),
    fetch(container.getAttribute("data-geojson")).then(readJson)
  ])
    .then(function (results) {
      draw(results[0], results[1]);
    })
    .catch(function () {
      container.hidden = true;
    });
})();
