// Calendar glue over @hello-pangea/dnd: a month or week grid of days; every day is a drop
// target, every item the user may move (item.movable: the server's rule) can be dragged to
// another day. The server owns the data: a drop is shown at once (local copy) and reported
// through onMove(itemId, dayKey); new props replace the copy.
import React, { useCallback, useEffect, useState } from "react";
import { DragDropContext, Draggable, Droppable } from "@hello-pangea/dnd";

const str = (v) => (v === null || v === undefined ? "" : String(v));

function Item({ item, index, onOpen }) {
  return (
    <Draggable draggableId={str(item.id)} index={index} isDragDisabled={!item.movable}>
      {(provided, snapshot) => (
        <div
          ref={provided.innerRef}
          {...provided.draggableProps}
          {...provided.dragHandleProps}
          className={"cal-item cal-type-" + str(item.type) + (item.status === "done" ? " cal-done" : "") +
            (item.movable ? "" : " cal-item-fixed") + (snapshot.isDragging ? " cal-item-dragging" : "")}
          data-item-id={str(item.id)}
          title={str(item.tooltip)}
          onClick={(e) => { e.stopPropagation(); if (onOpen) onOpen(str(item.id)); }}
        >
          <span className="cal-time">{item.time}</span>
          <span className="cal-title">{item.title}</span>
        </div>
      )}
    </Draggable>
  );
}

function Day({ day, labels, onAdd, onOpen, onMore }) {
  return (
    <div
      className={"cal-day" + (day.muted ? " cal-day-muted" : "") + (day.today ? " cal-day-today" : "")}
      data-day={day.key}
      onClick={() => onAdd && onAdd(day.key)}
    >
      <div className="cal-day-head">
        <span className="cal-day-number">{day.label}</span>
        <button type="button" className="cal-add" title={labels.add} data-day={day.key}
          onClick={(e) => { e.stopPropagation(); if (onAdd) onAdd(day.key); }}>+</button>
      </div>
      <Droppable droppableId={day.key}>
        {(provided, snapshot) => (
          <div ref={provided.innerRef} {...provided.droppableProps}
            className={"cal-items" + (snapshot.isDraggingOver ? " cal-items-over" : "")}>
            {(day.items || []).map((item, i) => (
              <Item key={str(item.id)} item={item} index={i} onOpen={onOpen} />
            ))}
            {provided.placeholder}
          </div>
        )}
      </Droppable>
      {day.more ? (
        <button type="button" className="cal-more" data-day={day.key}
          onClick={(e) => { e.stopPropagation(); if (onMore) onMore(day.key); }}>
          {str(labels.more).replace("{n}", day.more)}
        </button>
      ) : null}
    </div>
  );
}

export function CalendarBoard({ days, version, weekdays, labels, mode, onMove, onAdd, onOpen, onMore }) {
  const [list, setList] = useState(days || []);
  // every server read bumps version: a refused drop gets the same days back, yet must undo
  useEffect(() => setList(days || []), [days, version]);
  const onDragEnd = useCallback(
    (result) => {
      const { source, destination, draggableId } = result;
      if (!destination || source.droppableId === destination.droppableId) return;
      const next = list.map((d) => ({ ...d, items: [...(d.items || [])] }));
      const from = next.find((d) => d.key === source.droppableId);
      const to = next.find((d) => d.key === destination.droppableId);
      const [item] = from.items.splice(source.index, 1);
      to.items.splice(destination.index, 0, item);
      setList(next);
      if (onMove) onMove(str(draggableId), str(destination.droppableId));
    },
    [list, onMove]
  );
  const l = labels || {};
  return (
    <DragDropContext onDragEnd={onDragEnd}>
      <div className={"cal-grid cal-" + str(mode || "month")}>
        {(weekdays || []).map((w) => (
          <div key={w} className="cal-weekday">{w}</div>
        ))}
        {list.map((day) => (
          <Day key={day.key} day={day} labels={l} onAdd={onAdd} onOpen={onOpen} onMore={onMore} />
        ))}
      </div>
    </DragDropContext>
  );
}
