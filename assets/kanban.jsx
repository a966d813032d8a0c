// Drag-and-drop glue over @hello-pangea/dnd: a kanban board and a sortable list.
// The server owns the data; a drop is shown at once (local copy) and reported through
// onMove / onReorder; new props from the server replace the local copy.
import React, { useCallback, useEffect, useState } from "react";
import { DragDropContext, Draggable, Droppable } from "@hello-pangea/dnd";

const str = (v) => (v === null || v === undefined ? "" : String(v));

function Card({ card, index, labels, onOpen }) {
  return (
    <Draggable draggableId={str(card.id)} index={index}>
      {(provided, snapshot) => (
        <div
          ref={provided.innerRef}
          {...provided.draggableProps}
          {...provided.dragHandleProps}
          className={"kb-card" + (snapshot.isDragging ? " kb-card-dragging" : "")}
          data-card-id={str(card.id)}
          onClick={() => onOpen && onOpen(str(card.id))}
        >
          <div className="kb-card-title">{card.title}</div>
          {card.subtitle ? <div className="kb-card-sub">{card.subtitle}</div> : null}
          <div className="kb-card-row">
            <span className="kb-card-value">{card.value}</span>
            {card.days !== null && card.days !== undefined ? (
              <span
                className={"kb-days" + (card.stale ? " kb-days-stale" : "")}
                title={card.stale ? labels.stale : ""}
              >
                {str(labels.days).replace("{n}", card.days)}
              </span>
            ) : null}
          </div>
          <div className="kb-card-row kb-card-meta">
            <span>{card.owner}</span>
          </div>
          {card.note ? (
            <div
              className={"kb-card-note" + (card.note_late ? " kb-card-note-late" : "")}
              title={card.note_late ? labels.overdue : card.note}
            >
              {card.note_late ? "⚠ " : ""}
              {card.note}
            </div>
          ) : null}
        </div>
      )}
    </Draggable>
  );
}

function Column({ col, labels, onMore, onOpen }) {
  return (
    <div className="kb-column" data-column={col.key}>
      <div className="kb-column-head" style={{ borderTopColor: `var(--${col.color || "gray"}-9)` }}>
        <div className="kb-column-title">
          <span className="kb-column-name">{col.label}</span>
          <span className="kb-count" data-count={str(col.count)}>{col.count_label}</span>
        </div>
        {col.total_label ? (
          <div className="kb-totals">
            <span className="kb-total" title={labels.total}>{col.total_label}</span>
            {col.weighted_label ? (
              <span className="kb-weighted" title={labels.weighted}>≈ {col.weighted_label}</span>
            ) : null}
          </div>
        ) : null}
      </div>
      <Droppable droppableId={col.key}>
        {(provided, snapshot) => (
          <div
            ref={provided.innerRef}
            {...provided.droppableProps}
            className={"kb-cards" + (snapshot.isDraggingOver ? " kb-cards-over" : "")}
          >
            {(col.cards || []).map((card, i) => (
              <Card key={str(card.id)} card={card} index={i} labels={labels} onOpen={onOpen} />
            ))}
            {provided.placeholder}
            {!(col.cards || []).length ? <div className="kb-empty">{labels.empty}</div> : null}
          </div>
        )}
      </Droppable>
      {col.more ? (
        <button type="button" className="kb-more" onClick={() => onMore && onMore(col.key)}>
          {labels.more}
        </button>
      ) : null}
    </div>
  );
}

export function KanbanBoard({ columns, version, labels, onMove, onMore, onOpen }) {
  const [cols, setCols] = useState(columns || []);
  // every server read bumps version: a refused drop gets the same columns back, yet must undo
  useEffect(() => setCols(columns || []), [columns, version]);
  const onDragEnd = useCallback(
    (result) => {
      const { source, destination, draggableId } = result;
      if (!destination) return;
      if (source.droppableId === destination.droppableId && source.index === destination.index) return;
      const next = cols.map((c) => ({ ...c, cards: [...(c.cards || [])] }));
      const from = next.find((c) => c.key === source.droppableId);
      const to = next.find((c) => c.key === destination.droppableId);
      const [card] = from.cards.splice(source.index, 1);
      to.cards.splice(destination.index, 0, card);
      const prev = to.cards[destination.index - 1];
      const after = to.cards[destination.index + 1];
      setCols(next);
      if (onMove) onMove(str(draggableId), str(destination.droppableId), prev ? str(prev.id) : "", after ? str(after.id) : "");
    },
    [cols, onMove]
  );
  const l = labels || {};
  return (
    <DragDropContext onDragEnd={onDragEnd}>
      <div className="kb-board">
        {cols.map((col) => (
          <Column key={col.key} col={col} labels={l} onMore={onMore} onOpen={onOpen} />
        ))}
      </div>
    </DragDropContext>
  );
}

// A vertical list reordered by drag and drop; onReorder gets the ids, comma separated.
export function SortableList({ items, onReorder, onPick }) {
  const [list, setList] = useState(items || []);
  useEffect(() => setList(items || []), [items]);
  const onDragEnd = useCallback(
    (result) => {
      const { source, destination } = result;
      if (!destination || source.index === destination.index) return;
      const next = [...list];
      const [moved] = next.splice(source.index, 1);
      next.splice(destination.index, 0, moved);
      setList(next);
      if (onReorder) onReorder(next.map((i) => str(i.id)).join(","));
    },
    [list, onReorder]
  );
  return (
    <DragDropContext onDragEnd={onDragEnd}>
      <Droppable droppableId="sortable">
        {(provided) => (
          <div ref={provided.innerRef} {...provided.droppableProps} className="sl-list">
            {list.map((item, i) => (
              <Draggable key={str(item.id)} draggableId={str(item.id)} index={i}>
                {(p, snap) => (
                  <div
                    ref={p.innerRef}
                    {...p.draggableProps}
                    {...p.dragHandleProps}
                    className={"sl-item" + (snap.isDragging ? " sl-item-dragging" : "")}
                    data-item-id={str(item.id)}
                    onClick={() => onPick && onPick(str(item.id))}
                  >
                    <span className="sl-grip">⋮⋮</span>
                    <span className="sl-dot" style={{ background: `var(--${item.color || "gray"}-9)` }} />
                    <span className="sl-label">{item.label}</span>
                    <span className="sl-detail">{item.detail}</span>
                  </div>
                )}
              </Draggable>
            ))}
            {provided.placeholder}
          </div>
        )}
      </Droppable>
    </DragDropContext>
  );
}
