"""The simulated document camera: sample pages (:mod:`.documents`), how the camera sees them on a desk
(:mod:`.scene`) and the MJPEG-over-HTTP camera serving them (:mod:`.server`)."""

from drivers.camera.simulator.scene import Scene, Shot, compose, sample_scenes
from drivers.camera.simulator.server import CameraSimulator

__all__ = ["CameraSimulator", "Scene", "Shot", "compose", "sample_scenes"]
