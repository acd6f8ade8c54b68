//! Dependency cycles: refused, and spelled out so the admin sees which edge to drop.
use std::collections::{HashMap, HashSet};

/// The cycle that giving `service` the dependencies `deps` would close, spelled from
/// `service` back to itself (`puma → redis → puma`), or None. `edges` are the other
/// services' dependencies as (service, dependency) names; `service`'s own are ignored.
pub fn find_cycle(service: &str, deps: &[String], edges: &[(String, String)]) -> Option<Vec<String>> {
    let mut graph: HashMap<&str, Vec<&str>> = HashMap::new();
    for (from, to) in edges.iter().filter(|(from, _)| from != service) {
        graph.entry(from.as_str()).or_default().push(to.as_str());
    }
    for list in graph.values_mut() {
        list.sort_unstable();
    }
    // Depth-first from each new dependency, remembering the path; a node fully explored
    // without reaching `service` never needs visiting again.
    let mut done: HashSet<&str> = HashSet::new();
    for start in deps {
        let mut path: Vec<&str> = vec![service];
        let mut stack: Vec<(&str, usize)> = vec![(start.as_str(), 0)];
        while let Some((node, next)) = stack.pop() {
            if node == service {
                path.push(node);
                return Some(path.into_iter().map(str::to_owned).collect());
            }
            if next == 0 {
                if done.contains(node) {
                    continue;
                }
                path.push(node);
            }
            match graph.get(node).and_then(|l| l.get(next)) {
                Some(child) => {
                    stack.push((node, next + 1));
                    stack.push((child, 0));
                }
                None => {
                    done.insert(node);
                    path.pop();
                }
            }
        }
    }
    None
}
