"""fargo's system drawn from its synthesised template: Mermaid text always, SVG/PNG by Graphviz.

Reads the template dict alone (no troposphere, no boto3, no AWS): `draw(template)` gives the
`System` (nodes, edges, groups), `to_mermaid` and `to_dot` its text, `render` an image where
Graphviz's `dot` is installed and a clear "not installed" result where it is not.
"""

from fargo.diagram.build import system as draw
from fargo.diagram.dot import Rendered, render, to_dot
from fargo.diagram.mermaid import to_mermaid
from fargo.diagram.model import Edge, Group, Node, System

__all__ = ["Edge", "Group", "Node", "Rendered", "System", "draw", "render", "to_dot",
           "to_mermaid"]
