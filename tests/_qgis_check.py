"""A GeoPackage in (argv[1]), what QGIS made of its default styles out (JSON on stdout; a PNG at argv[2]); run by system Python with python3-qgis."""

import json
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from qgis.core import (QgsApplication, QgsCoordinateReferenceSystem, QgsMapRendererParallelJob,  # noqa: E402
                       QgsMapSettings, QgsRectangle, QgsRenderContext, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize  # noqa: E402
from qgis.PyQt.QtGui import QColor  # noqa: E402

app = QgsApplication([], False)
app.initQgis()
gpkg, png = sys.argv[1], sys.argv[2]
names = sys.argv[3].split(",")
out, loaded = {}, []
for name in names:
    layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
    renderer = layer.renderer()
    symbols = renderer.symbols(QgsRenderContext()) if hasattr(renderer, "symbols") else []
    fill = [s.color().alpha() for s in symbols]
    out[name] = {"valid": layer.isValid(), "renderer": renderer.type(), "labels": layer.labelsEnabled(),
                 "label_field": layer.labeling().settings().fieldName if layer.labelsEnabled() else None,
                 "alphas": fill, "categories": len(getattr(renderer, "categories", lambda: [])())}
    loaded.append(layer)
settings = QgsMapSettings()
settings.setLayers(loaded)  # first is on top
settings.setBackgroundColor(QColor(255, 255, 255))
settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
settings.setFlag(QgsMapSettings.DrawLabeling, True)
settings.setOutputSize(QSize(900, 1000))
settings.setExtent(QgsRectangle(108.7, 24.6, 114.3, 30.2))
job = QgsMapRendererParallelJob(settings)
job.start()
job.waitForFinished()
job.renderedImage().save(png, "png")
print(json.dumps(out, ensure_ascii=False), flush=True)
os._exit(0)  # QGIS's own teardown (exitQgis) can crash at exit in offscreen mode; nothing is left to save
