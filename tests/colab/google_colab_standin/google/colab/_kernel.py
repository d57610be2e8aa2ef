"""``python -m google.colab._kernel -f CONNECTION_FILE``: an IPython kernel with google.colab imported."""
import google.colab  # noqa: F401  (Colab's kernel imports it before any cell runs)
from ipykernel import kernelapp

if __name__ == "__main__":
    kernelapp.launch_new_instance()
