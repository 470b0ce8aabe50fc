"""Photographed materials: the page a visit keeps (:mod:`.page`, no imaging library) and the processing that
makes it from a camera frame (:mod:`.document` finds and deskews the document, :mod:`.quality` judges blur and
light, :mod:`.jpeg` compresses to the page budget, :mod:`.pipeline` does all three). Qt-free and device-free:
frames come in as numpy arrays, pages go out as JPEG bytes. Only the processing modules import numpy/OpenCV.
"""
